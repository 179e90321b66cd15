package io.portcullis.gateway.observe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Sits on a client connection between the HTTP codec and the connection's own handler, and counts what
 * passes: the status of each response head and the body bytes each way for the call being served, and
 * after a hijack the raw bytes each way of the spliced session. Counting is a field update per message;
 * the meters are touched when a call ends (and every {@link #FLUSH_BYTES} of a long session).
 */
public final class CallMeter extends ChannelDuplexHandler {
  static final String NAME = "portcullis-meter";
  private static final long FLUSH_BYTES = 1 << 20;

  private final EdgeObserver observer;
  private CallRecord current;
  private SessionRecord session;

  CallMeter(EdgeObserver observer) {
    this.observer = observer;
  }

  /** Installs the meter right before the connection's own handler (after the HTTP codec). */
  public void addTo(ChannelPipeline pipeline) {
    pipeline.addBefore("handler", NAME, this);
  }

  /** The call whose response and body are now on the wire. */
  public void serving(CallRecord call) {
    current = call;
  }

  /** The connection became a spliced stream: raw bytes from now on belong to this session. */
  public void spliced(SessionRecord opened) {
    current = null;
    session = opened;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    // Request bodies are counted by the connection as it takes them (see ClientConnection.onMessage).
    if (session != null && msg instanceof ByteBuf buf) {
      session.toBackend += buf.readableBytes();
      flushIfLarge();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (session != null) {
      if (msg instanceof ByteBuf buf) {
        session.toClient += buf.readableBytes();
        flushIfLarge();
      } else if (msg instanceof ByteBufHolder holder) {
        session.toClient += holder.content().readableBytes();
      }
    } else if (current != null) {
      if (msg instanceof HttpResponse head) {
        int code = head.status().code();
        // Interim answers (100 Continue) are not the call's status; 101 is (a hijack).
        if (code >= 200 || code == 101) {
          current.status = code;
        }
      }
      if (msg instanceof HttpContent content) {
        current.bytesOut += content.content().readableBytes();
      }
    }
    ctx.write(msg, promise);
  }

  private void flushIfLarge() {
    if (session.toBackend - session.flushedToBackend + session.toClient - session.flushedToClient >= FLUSH_BYTES) {
      observer.flushSessionBytes(session);
    }
  }
}
