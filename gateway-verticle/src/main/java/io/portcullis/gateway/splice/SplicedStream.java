package io.portcullis.gateway.splice;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;

/**
 * A hijacked attach/exec stream: two sockets joined as one raw full-duplex byte stream.
 *
 * <pre>
 *   client (docker CLI)                    gateway                              backend (dockerd)
 *   ───────────────────                    ───────                              ─────────────────
 *   stdin  ──▶ clientSocket ──▶ clientIn ══ pipe clientToBackend ══▶ backendSocket ──▶ container stdin
 *   stdout ◀── clientSocket ◀══ pipe backendToClient ══ backendIn ◀── backendSocket ◀── container output
 * </pre>
 *
 * <p><b>Backpressure.</b> Each pipe reads the next chunk only while the other socket's write queue has
 * room: a slow reader pauses its writer's socket, so memory stays bounded by the sockets' water marks.
 * Chunks are handed from one channel to the other as they were read, without a copy.
 *
 * <p><b>Half-close.</b> When one side shuts down its write direction (the docker CLI does so when its
 * stdin ends), its pipe ends; once everything it carried is written, the gateway shuts down only the
 * write direction of the other socket, and the opposite pipe keeps delivering output. When both
 * directions have ended, or either socket closes or fails, both sockets are closed (flushing what is
 * queued), exactly once, and {@link #closed()} completes.
 */
public final class SplicedStream {
  private final NetSocketInternal clientSocket;
  private final NetSocketInternal backendSocket;
  private final RawInbound clientIn;
  private final RawInbound backendIn;
  private final Promise<Void> closed = Promise.promise();
  private int directionsEnded;
  private boolean closing;

  public SplicedStream(NetSocketInternal clientSocket, NetSocketInternal backendSocket) {
    this.clientSocket = clientSocket;
    this.backendSocket = backendSocket;
    // Without half-closure a peer's FIN closes the whole socket, and the other direction's output is lost.
    clientSocket.channelHandlerContext().channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    backendSocket.channelHandlerContext().channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    this.clientIn = new RawInbound(clientSocket);
    this.backendIn = new RawInbound(backendSocket);
    clientSocket.closeHandler(v -> onSocketClosed(clientIn));
    backendSocket.closeHandler(v -> onSocketClosed(backendIn));
    clientSocket.exceptionHandler(err -> closeBoth());
    backendSocket.exceptionHandler(err -> closeBoth());
  }

  /** The client had already ended its sending (FIN or close_notify) before the stream was spliced. */
  public void clientAlreadyEnded() {
    clientIn.end();
  }

  /**
   * Starts both pipes. The constructor already took both sockets' input over (paused), so that
   * nothing arriving between the hijack and this call is lost; call on the sockets' event loop.
   */
  public SplicedStream start() {
    if (closing) {
      return this;
    }
    pipe(clientIn, backendSocket);
    pipe(backendIn, clientSocket);
    return this;
  }

  /** Completes once both sockets are closed. */
  public Future<Void> closed() {
    return closed.future();
  }

  public long clientToBackendBytes() {
    return clientIn.bytes();
  }

  public long backendToClientBytes() {
    return backendIn.bytes();
  }

  /** Ends the session now, from the gateway's side (shutdown, revocation). */
  public void close() {
    closeBoth();
  }

  private void pipe(RawInbound from, NetSocketInternal to) {
    from.pipe()
        .endOnComplete(false)
        .to(new RawOutbound(to))
        .onComplete(ar -> {
          if (ar.failed()) {
            closeBoth();
          } else {
            shutdownOutputWhenFlushed(to);
          }
        });
  }

  private void shutdownOutputWhenFlushed(NetSocketInternal socket) {
    // Netty's shutdownOutput() fails writes still queued, so it waits for the last one to be written.
    socket.write(Buffer.buffer()).onComplete(ar -> {
      Channel channel = socket.channelHandlerContext().channel();
      SslHandler ssl = channel.pipeline().get(SslHandler.class);
      if (ar.failed() || !channel.isActive()) {
        closeBoth();
      } else if (ssl != null) {
        // TLS has no half-close of its own: close_notify ends our sending, the socket stays open for reading.
        ssl.closeOutbound().addListener(f -> directionEnded());
      } else if (channel instanceof DuplexChannel duplex) {
        duplex.shutdownOutput().addListener(f -> directionEnded());
      } else {
        closeBoth();
      }
    });
  }

  private void directionEnded() {
    if (++directionsEnded == 2) {
      closeBoth();
    }
  }

  private void onSocketClosed(RawInbound side) {
    side.end();
    closeBoth();
  }

  private void closeBoth() {
    if (closing) {
      return;
    }
    closing = true;
    clientIn.discard();
    backendIn.discard();
    Future.join(clientSocket.close(), backendSocket.close()).onComplete(ar -> closed.tryComplete());
  }
}
