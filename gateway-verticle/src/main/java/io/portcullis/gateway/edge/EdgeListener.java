package io.portcullis.gateway.edge;

import io.portcullis.gateway.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tenants' listeners: mutual TLS (the public one), and plaintext on loopback when configured.
 * Every accepted connection becomes a {@link ClientConnection}.
 */
public final class EdgeListener {
  private static final System.Logger log = System.getLogger(EdgeListener.class.getName());

  private final Vertx vertx;
  private final EdgeServices services;

  public EdgeListener(Vertx vertx, EdgeServices services) {
    this.vertx = vertx;
    this.services = services;
  }

  /** Starts every configured listener. */
  public Future<List<NetServer>> listen() {
    GatewayConfig config = services.config();
    List<Future<NetServer>> servers = new java.util.ArrayList<>();
    if (config.tlsEnabled()) {
      servers.add(listen(tlsOptions(config), true));
    }
    if (config.plaintextEnabled()) {
      servers.add(listen(baseOptions().setHost(config.plaintextHost()).setPort(config.plaintextPort()), false));
    }
    return Future.all(servers).map(all -> servers.stream().map(Future::result).toList());
  }

  private Future<NetServer> listen(NetServerOptions options, boolean tls) {
    NetServer server = vertx.createNetServer(options);
    server.connectHandler(socket -> new ClientConnection((NetSocketInternal) socket, services, tls).start());
    // Connections that fail before they are accepted: TLS handshakes (no client certificate, TLS 1.2...).
    server.exceptionHandler(err -> {
      if (tls) {
        io.portcullis.gateway.observe.EdgeObserver.handshakeFailed();
      }
      log.log(System.Logger.Level.INFO, "TLS handshake failed: " + rootMessage(err));
    });
    return server.listen();
  }

  private static String rootMessage(Throwable err) {
    Throwable t = err;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static NetServerOptions baseOptions() {
    return new NetServerOptions().setTcpNoDelay(true).setTcpKeepAlive(true).setReuseAddress(true);
  }

  private static NetServerOptions tlsOptions(GatewayConfig config) {
    NetServerOptions options = baseOptions()
        .setHost(config.tlsHost())
        .setPort(config.tlsPort())
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.tlsCertPath()).setKeyPath(config.tlsKeyPath()))
        .setTrustOptions(new AnyClientCertificateTrust())
        .setClientAuth(ClientAuth.REQUIRED)
        .setUseAlpn(true)
        .setEnabledSecureTransportProtocols(new LinkedHashSet<>(config.tlsProtocols()))
        .setSslHandshakeTimeout(config.tlsHandshakeTimeoutMs())
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    // HTTP/1.1 only: the Docker API's hijacked streams have no HTTP/2 form.
    options.getSslOptions().setApplicationLayerProtocols(List.of("http/1.1"));
    return options;
  }
}
