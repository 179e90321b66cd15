package io.portcullis.gateway.edge;

import io.portcullis.gateway.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

/** The tenants' listener: every accepted connection becomes a {@link ClientConnection}. */
public final class EdgeListener {
  private final Vertx vertx;
  private final EdgeServices services;

  public EdgeListener(Vertx vertx, EdgeServices services) {
    this.vertx = vertx;
    this.services = services;
  }

  public Future<NetServer> listen() {
    GatewayConfig config = services.config();
    NetServer server = vertx.createNetServer(new NetServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true)
        .setReuseAddress(true));
    server.connectHandler(socket -> new ClientConnection((NetSocketInternal) socket, services).start());
    return server.listen();
  }
}
