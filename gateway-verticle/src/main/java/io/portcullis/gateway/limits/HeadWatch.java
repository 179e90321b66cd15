package io.portcullis.gateway.limits;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The clocks of a connection between calls, on its event loop: while it waits for a request, the idle
 * timeout runs; from the first byte of a request, the head timeout (a slowloris client sends a head a
 * byte at a time); neither once the head is complete, during the call, a stream or a hijacked session.
 * Sits before the HTTP decoder, where request bytes arrive.
 *
 * <p>A request only writes a deadline; one check per connection, every half of the shorter timeout,
 * compares it with the time (scheduling and cancelling a timer per request halved the gateway's
 * request rate). So a timeout acts up to half of the shorter timeout late.
 */
public final class HeadWatch extends ChannelInboundHandlerAdapter {
  public static final String NAME = "portcullis-head-watch";
  private static final int NONE = 0;
  private static final int IDLE = 1;
  private static final int HEAD = 2;

  private final long idleNanos;
  private final long headNanos;
  private final long checkNanos;
  private final Runnable onIdle;
  private final Runnable onHeadTimeout;
  private ChannelHandlerContext ctx;
  private int state = NONE;
  private long deadline;
  private ScheduledFuture<?> check;

  /** A timeout of 0 is none. */
  public HeadWatch(long idleMs, long headMs, Runnable onIdle, Runnable onHeadTimeout) {
    this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMs);
    this.headNanos = TimeUnit.MILLISECONDS.toNanos(headMs);
    long shorter = idleMs > 0 && headMs > 0 ? Math.min(idleMs, headMs) : Math.max(idleMs, headMs);
    this.checkNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, shorter / 2));
    this.onIdle = onIdle;
    this.onHeadTimeout = onHeadTimeout;
  }

  public void addBefore(ChannelPipeline pipeline, String decoder) {
    pipeline.addBefore(decoder, NAME, this);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    ctx = context;
    if (idleNanos > 0 || headNanos > 0) {
      check = context.executor().scheduleAtFixedRate(this::check, checkNanos, checkNanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext context) {
    stop();
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) throws Exception {
    stop();
    context.fireChannelInactive();
  }

  /** The connection waits for its next request from now on (on its event loop). */
  public void waiting() {
    state = IDLE;
    deadline = idleNanos > 0 ? System.nanoTime() + idleNanos : 0;
  }

  /** The connection no longer waits: a request head is here, or it is a stream or a call now. */
  public void notWaiting() {
    state = NONE;
  }

  /** The connection is a hijacked session now (or closed): no clock any more. */
  public void stop() {
    state = NONE;
    if (check != null) {
      check.cancel(false);
      check = null;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) throws Exception {
    if (state == IDLE && msg instanceof ByteBuf buf && buf.isReadable()) {
      state = HEAD;
      deadline = headNanos > 0 ? System.nanoTime() + headNanos : 0;
    }
    context.fireChannelRead(msg);
  }

  private void check() {
    if (state == NONE || deadline == 0 || System.nanoTime() < deadline) {
      return;
    }
    int expired = state;
    state = NONE;
    (expired == IDLE ? onIdle : onHeadTimeout).run();
  }
}
