package io.portcullis.gateway.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.portcullis.gateway.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The keepalive timing reaches the kernel: set on a real epoll connection, both ends (accepted, as the
 * tenants' listener does, and connected, as the backend pool does), and read back with getsockopt.
 */
class TcpKeepAliveTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void configuredTiming_isSetOnAcceptedAndConnectedTcpChannels() throws Exception {
    assertThat(vertx.isNativeTransportEnabled()).as("the node runs on epoll only").isTrue();
    TcpKeepAlive keepAlive = GatewayConfig.fromJson(new JsonObject().put("tlsPort", -1).put("plaintextPort", 0)
        .put("tcpKeepAliveIdleSeconds", 42).put("tcpKeepAliveIntervalSeconds", 7).put("tcpKeepAliveCount", 3)).tcpKeepAlive();
    CompletableFuture<Map<String, Object>> accepted = new CompletableFuture<>();
    NetServer server = vertx.createNetServer().connectHandler(socket -> accepted.complete(applyAndRead(keepAlive, socket)));
    int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    NetSocket connected = vertx.createNetClient().connect(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    CompletableFuture<Map<String, Object>> connectedSide = new CompletableFuture<>();
    vertx.runOnContext(v -> connectedSide.complete(applyAndRead(keepAlive, connected)));

    Map<String, Object> expected = Map.of("keepalive", true, "idle", 42, "interval", 7, "count", 3);
    assertThat(accepted.get(10, TimeUnit.SECONDS)).isEqualTo(expected);
    assertThat(connectedSide.get(10, TimeUnit.SECONDS)).isEqualTo(expected);
  }

  private static Map<String, Object> applyAndRead(TcpKeepAlive keepAlive, NetSocket socket) {
    Channel channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
    assertThat(keepAlive.applyTo(channel)).isTrue();
    return Map.of("keepalive", channel.config().getOption(ChannelOption.SO_KEEPALIVE),
        "idle", channel.config().getOption(EpollChannelOption.TCP_KEEPIDLE),
        "interval", channel.config().getOption(EpollChannelOption.TCP_KEEPINTVL),
        "count", channel.config().getOption(EpollChannelOption.TCP_KEEPCNT));
  }
}
