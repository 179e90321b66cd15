package io.portcullis.gateway.backend;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.BackendHost;
import io.vertx.core.Future;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.ConnectOptions;
import io.netty.channel.ConnectTimeoutException;
import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Connections to the backend daemons, per host, for one event loop. There is no cap on connections in
 * use: a call that streams for hours ({@code events}, {@code logs -f}) holds its own connection and never
 * blocks another call (HTTP client pools that cap at a handful per host do exactly that). Only idle
 * keep-alive connections are bounded.
 */
public final class BackendPool {
  private static final System.Logger log = System.getLogger(BackendPool.class.getName());
  private final NetClient netClient;
  private final int maxIdlePerHost;
  private final io.portcullis.gateway.channel.TcpKeepAlive keepAlive;
  private final Map<String, ArrayDeque<BackendConnection>> idleByHost = new HashMap<>();

  public BackendPool(NetClient netClient, int maxIdlePerHost, io.portcullis.gateway.channel.TcpKeepAlive keepAlive) {
    this.netClient = netClient;
    this.maxIdlePerHost = maxIdlePerHost;
    this.keepAlive = keepAlive;
  }

  public Future<BackendConnection> acquire(BackendHost host) {
    ArrayDeque<BackendConnection> idle = idleByHost.get(host.uri());
    BackendConnection reused;
    while (idle != null && (reused = idle.pollLast()) != null) {
      if (reused.reusable()) {
        return Future.succeededFuture(reused);
      }
      reused.close();
    }
    ConnectOptions target = new ConnectOptions().setRemoteAddress(host.address());
    if (host.tls() != null) {
      // The daemon's certificate is checked against the host name or address in its URI.
      target.setSsl(true).setSslOptions(host.tls().sslOptions()).setHost(host.tcpHost()).setPort(host.tcpPort());
    }
    return netClient.connect(target)
        .map(socket -> {
          NetSocketInternal connected = (NetSocketInternal) socket;
          // A tcp:// daemon that vanishes (host down, partition) is noticed by keepalive, not in hours.
          keepAlive.applyTo(connected.channelHandlerContext().channel());
          return new BackendConnection(host, connected);
        })
        .recover(err -> {
          // The tenant hears the host's name only; where it is and why it failed is the operator's.
          log.log(System.Logger.Level.INFO, "backend host {0} ({1}) is unavailable: {2}", host.name(), host.uri(), describe(err));
          return Future.failedFuture(ApiException.unavailable("backend host " + host.name() + " is unavailable"));
        });
  }

  /** Returns a connection whose last exchange completed cleanly, for reuse. */
  public void release(BackendConnection connection) {
    if (!connection.reusable()) {
      connection.close();
      return;
    }
    ArrayDeque<BackendConnection> idle = idleByHost.computeIfAbsent(connection.host().uri(), k -> new ArrayDeque<>());
    if (idle.size() >= maxIdlePerHost) {
      connection.close();
      return;
    }
    idle.addLast(connection);
    connection.parkIdle(() -> idle.remove(connection));
  }

  /** Says why in words a user can act on, not as an exception class name. */
  static String describe(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof FileNotFoundException) {
        return "no socket at that path";
      }
      if (t instanceof ConnectException) {
        return t.getMessage() != null && t.getMessage().contains("timed out") ? "connection timed out" : "connection refused";
      }
      if (t instanceof ConnectTimeoutException) {
        return "connection timed out";
      }
    }
    String message = err.getMessage();
    return message == null ? err.getClass().getSimpleName() : message;
  }
}
