package io.portcullis.gateway.splice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Handler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * The inbound side of a hijacked socket as a {@code ReadStream<ByteBuf>}, so that it can be piped to a
 * {@link RawOutbound} without a copy: each chunk read is handed on, and released by the write.
 *
 * <p>Pausing turns the channel's auto-read off itself rather than pausing the Vert.x socket: Vert.x
 * delivers pipeline events (the half-close) at once but queues paused data, so a half-close could
 * overtake output still queued and lose it. Here data that is still in flight when paused, and the
 * end that follows it, wait in one queue, in the order they arrived.
 *
 * <p>It differs from {@code NetSocket}'s own read stream in two ways that matter at the moment of a
 * hijack: it also accepts {@code HttpContent} messages (bytes the HTTP decoder had already framed as
 * body before it was removed: the daemon's output in the {@code 200 raw-stream} form), and it ends on
 * the peer's half-close ({@link ChannelInputShutdownEvent}) instead of only when the socket closes.
 */
final class RawInbound implements ReadStream<ByteBuf> {
  private final NetSocketInternal socket;
  private Handler<ByteBuf> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
  private boolean paused;
  private boolean endSeen;
  private boolean ended;
  private long bytes;

  /** Takes the socket's input over, paused: nothing is delivered until the pipe asks for it. */
  RawInbound(NetSocketInternal socket) {
    this.socket = socket;
    socket.messageHandler(this::onMessage);
    socket.eventHandler(this::onEvent);
    pause();
  }

  long bytes() {
    return bytes;
  }

  boolean ended() {
    return ended;
  }

  private void onMessage(Object msg) {
    ByteBuf data = msg instanceof ByteBuf b ? b : msg instanceof ByteBufHolder h ? h.content() : null;
    if (data == null || !data.isReadable() || ended) {
      ReferenceCountUtil.release(msg);
      return;
    }
    bytes += data.readableBytes();
    if (paused || !queued.isEmpty()) {
      queued.add(data);
      return;
    }
    deliver(data);
  }

  private void deliver(ByteBuf data) {
    Handler<ByteBuf> h = handler;
    if (h != null) {
      h.handle(data);
    } else {
      data.release();
    }
  }

  /** The stream is over: what is queued and whatever still arrives is released, not delivered. */
  void discard() {
    ended = true;
    ByteBuf data;
    while ((data = queued.poll()) != null) {
      data.release();
    }
  }

  private void onEvent(Object event) {
    // The peer is done sending: a FIN on TCP, a close_notify alert over TLS (Go clients send it when
    // their stdin ends, and keep reading).
    if (event instanceof ChannelInputShutdownEvent || event instanceof SslCloseCompletionEvent) {
      end();
    }
    ReferenceCountUtil.release(event);
  }

  /** The peer will send nothing more (half-close, or the socket closed); delivered after queued data. */
  void end() {
    endSeen = true;
    drain();
  }

  private void drain() {
    while (!paused && !queued.isEmpty()) {
      deliver(queued.poll());
    }
    if (!paused && queued.isEmpty() && endSeen && !ended) {
      ended = true;
      Handler<Void> h = endHandler;
      if (h != null) {
        h.handle(null);
      }
    }
  }

  void fail(Throwable err) {
    Handler<Throwable> h = exceptionHandler;
    if (h != null) {
      h.handle(err);
    }
  }

  @Override
  public ReadStream<ByteBuf> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public ReadStream<ByteBuf> handler(Handler<ByteBuf> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public ReadStream<ByteBuf> pause() {
    paused = true;
    socket.channelHandlerContext().channel().config().setAutoRead(false);
    return this;
  }

  @Override
  public ReadStream<ByteBuf> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ReadStream<ByteBuf> fetch(long amount) {
    if (paused) {
      paused = false;
      socket.channelHandlerContext().channel().config().setAutoRead(true);
    }
    // The socket itself may have been paused by the HTTP stage before the hijack (it never is after):
    // what Vert.x held back is older than anything queued here, and than the end, so it goes first.
    socket.resume();
    drain();
    return this;
  }

  @Override
  public ReadStream<ByteBuf> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }
}
