package io.portcullis.gateway.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.function.Predicate;

/**
 * The HTTP/1.1 codec of a client connection: Netty's decoder and encoder, plus the two things a Docker
 * gateway needs that {@code HttpServerCodec} cannot do.
 *
 * <ul>
 *   <li><b>Freeze after a call that may hijack.</b> Once the last byte of an attach or exec-start request
 *   is decoded, whatever follows on the wire is the client's stdin, not a next request. The decoder stops
 *   there and keeps those bytes; {@link #thaw()} resumes HTTP if the daemon answered normally, and
 *   {@link #removeFrom(ChannelPipeline)} hands them on as raw bytes if the stream was hijacked.</li>
 *   <li><b>HEAD awareness</b>, as {@code HttpServerCodec} has: the encoder knows which responses answer a
 *   HEAD and writes no body framing for them.</li>
 * </ul>
 */
final class EdgeHttpCodec {
  static final String DECODER = "portcullis-http-decoder";
  static final String ENCODER = "portcullis-http-encoder";

  private final Queue<HttpMethod> methods = new ArrayDeque<>();
  private final Decoder decoder;
  private final Encoder encoder = new Encoder();

  EdgeHttpCodec(HttpDecoderConfig config, Predicate<HttpRequest> mayHijack) {
    this.decoder = new Decoder(config, mayHijack);
  }

  void addTo(ChannelPipeline pipeline) {
    pipeline.addBefore("handler", DECODER, decoder);
    pipeline.addBefore("handler", ENCODER, encoder);
  }

  /** Whether the decoder stopped after a request that may hijack the connection. */
  boolean frozen() {
    return decoder.frozen;
  }

  /**
   * The call whose request is {@code request} ended without a hijack: if it is the one that froze the
   * decoder, decode what the client sent after it as HTTP again.
   */
  void thawAfter(HttpRequest request) {
    if (!decoder.frozen || decoder.frozenBy != request) {
      return;
    }
    decoder.frozenBy = null;
    decoder.frozen = false;
    ChannelHandlerContext ctx = decoder.ctx;
    if (ctx == null || ctx.isRemoved()) {
      return;
    }
    ctx.channel().config().setAutoRead(true);
    try {
      // An empty read makes the decoder run over the bytes it kept while frozen.
      decoder.channelRead(ctx, Unpooled.EMPTY_BUFFER);
      decoder.channelReadComplete(ctx);
    } catch (Exception e) {
      ctx.fireExceptionCaught(e);
    }
  }

  /** The call was hijacked: from now on bytes pass raw; those the decoder kept flow on as a ByteBuf. */
  void removeFrom(ChannelPipeline pipeline) {
    if (pipeline.get(ENCODER) != null) {
      pipeline.remove(ENCODER);
    }
    if (pipeline.get(DECODER) != null) {
      pipeline.remove(DECODER);
    }
    pipeline.channel().config().setAutoRead(true);
  }

  private final class Decoder extends HttpRequestDecoder {
    private final Predicate<HttpRequest> mayHijack;
    private HttpRequest candidate;
    private HttpRequest frozenBy;
    private boolean frozen;
    private ChannelHandlerContext ctx;

    Decoder(HttpDecoderConfig config, Predicate<HttpRequest> mayHijack) {
      super(config);
      this.mayHijack = mayHijack;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
      this.ctx = ctx;
      super.handlerAdded(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (frozen && evt instanceof ChannelInputShutdownEvent) {
        // The decoder would decode its last bytes and drop the rest; while frozen they are the client's
        // stdin, kept for the splice. The event itself goes on.
        ctx.fireUserEventTriggered(evt);
        return;
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
      if (frozen) {
        // Vert.x may have turned reading back on (its own pause bookkeeping): bound what piles up here.
        ctx.channel().config().setAutoRead(false);
        return;
      }
      int first = out.size();
      super.decode(ctx, buffer, out);
      for (int i = first; i < out.size(); i++) {
        Object msg = out.get(i);
        if (msg instanceof HttpRequest request) {
          methods.add(request.method());
          candidate = request.decoderResult().isSuccess() && mayHijack.test(request) ? request : null;
        }
        if (msg instanceof LastHttpContent && candidate != null) {
          frozenBy = candidate;
          candidate = null;
          frozen = true;
          // Bound what a client can push before the daemon answers: stop reading until thaw or hijack.
          ctx.channel().config().setAutoRead(false);
        }
      }
    }
  }

  private final class Encoder extends HttpResponseEncoder {
    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
      int code = msg.status().code();
      if (code >= 100 && code < 200 && code != 101) {
        // An interim response (100 Continue) answers no request on its own.
        return super.isContentAlwaysEmpty(msg);
      }
      HttpMethod method = methods.poll();
      return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
    }
  }
}
