package io.portcullis.gateway.backend;

import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.contracts.BackendHost;
import io.portcullis.gateway.channel.FlushBatching;
import io.vertx.core.internal.net.NetSocketInternal;

/**
 * One connection to a backend daemon, speaking HTTP/1.1 through Netty's client codec until a call
 * hijacks it. Owned by one exchange at a time; between exchanges it waits in the {@link BackendPool}.
 */
public final class BackendConnection {
  static final String CODEC = "portcullis-backend-codec";

  private final BackendHost host;
  private final NetSocketInternal socket;
  private boolean inputShutdown;

  BackendConnection(BackendHost host, NetSocketInternal socket) {
    this.host = host;
    this.socket = socket;
    ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
    // Half-closure on: a daemon's FIN must reach the client as a half-close, not tear down the stream.
    pipeline.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    pipeline.addBefore("handler", CODEC, new HttpClientCodec(4096, 65536, 65536));
    FlushBatching.install(pipeline);
  }

  public BackendHost host() {
    return host;
  }

  public NetSocketInternal socket() {
    return socket;
  }

  /** Whether the daemon may still answer on this connection. */
  boolean reusable() {
    return !inputShutdown && socket.channelHandlerContext().channel().isActive()
        && socket.channelHandlerContext().pipeline().get(CODEC) != null;
  }

  void markInputShutdown() {
    inputShutdown = true;
  }

  /** The stream is hijacked: bytes pass raw from now on, including any the codec had not decoded yet. */
  public void removeHttpCodec() {
    ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
    if (pipeline.get(CODEC) != null) {
      pipeline.remove(CODEC);
    }
  }

  /** While idle in the pool any message or half-close means the connection is no longer usable. */
  void parkIdle(Runnable onUnusable) {
    socket.messageHandler(msg -> {
      ReferenceCountUtil.release(msg);
      onUnusable.run();
      socket.close();
    });
    socket.eventHandler(event -> {
      if (event instanceof ChannelInputShutdownEvent) {
        markInputShutdown();
        onUnusable.run();
        socket.close();
      }
      ReferenceCountUtil.release(event);
    });
    socket.closeHandler(v -> onUnusable.run());
    socket.exceptionHandler(err -> socket.close());
  }

  public void close() {
    socket.close();
  }
}
