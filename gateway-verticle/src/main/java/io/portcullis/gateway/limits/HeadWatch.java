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
 */
public final class HeadWatch extends ChannelInboundHandlerAdapter {
  public static final String NAME = "portcullis-head-watch";

  private final long idleMs;
  private final long headMs;
  private final Runnable onIdle;
  private final Runnable onHeadTimeout;
  private ChannelHandlerContext ctx;
  private boolean waiting;
  private ScheduledFuture<?> timer;

  /** A timeout of 0 is none. */
  public HeadWatch(long idleMs, long headMs, Runnable onIdle, Runnable onHeadTimeout) {
    this.idleMs = idleMs;
    this.headMs = headMs;
    this.onIdle = onIdle;
    this.onHeadTimeout = onHeadTimeout;
  }

  public void addBefore(ChannelPipeline pipeline, String decoder) {
    pipeline.addBefore(decoder, NAME, this);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    ctx = context;
  }

  /** The connection waits for its next request from now on (on its event loop). */
  public void waiting() {
    cancel();
    waiting = true;
    timer = schedule(idleMs, onIdle);
  }

  /** The connection no longer waits: a request head is here, or it is a stream now, or it closed. */
  public void notWaiting() {
    waiting = false;
    cancel();
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) throws Exception {
    if (waiting && msg instanceof ByteBuf buf && buf.isReadable()) {
      waiting = false;
      cancel();
      timer = schedule(headMs, onHeadTimeout);
    }
    context.fireChannelRead(msg);
  }

  private ScheduledFuture<?> schedule(long ms, Runnable action) {
    return ms <= 0 || ctx == null ? null : ctx.executor().schedule(() -> {
      timer = null;
      action.run();
    }, ms, TimeUnit.MILLISECONDS);
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
