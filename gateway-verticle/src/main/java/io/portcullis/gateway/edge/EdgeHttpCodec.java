package io.portcullis.gateway.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
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
 *   <li><b>Strict framing</b> where Netty is lenient, so that the gateway and the daemon can never read
 *   one message two ways (request smuggling): a request with both {@code Content-Length} and
 *   {@code Transfer-Encoding: chunked} (Netty drops the length and goes on), or with a folded header line
 *   (Netty joins it), is marked failed and refused with a 400, and the connection closed. A chunked
 *   request whose bad chunk size is already buffered with its head fails as a whole, so nothing of it
 *   is forwarded.</li>
 * </ul>
 *
 * <p>What Netty already refuses is left to it: a bare LF ending a request or header line and a chunk
 * line not ended by CRLF (its strict line parsing, on by default), duplicate {@code Content-Length}
 * headers even with equal values, a chunk size that is not hex or overflows.
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
    private final ObsFoldScanner folds = new ObsFoldScanner();
    /** A request was refused on bytes the decoder never saw: nothing more is decoded on this connection. */
    private boolean broken;
    /** A request head went out and its last content has not yet. */
    private boolean midRequest;

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
      if (broken) {
        buffer.skipBytes(buffer.readableBytes());
        return;
      }
      if (frozen) {
        // Vert.x may have turned reading back on (its own pause bookkeeping): bound what piles up here.
        ctx.channel().config().setAutoRead(false);
        return;
      }
      if (folds.folded(buffer)) {
        refuseRest(out, "a folded header line (obs-fold, RFC 9112 section 5.2)");
        buffer.skipBytes(buffer.readableBytes());
        return;
      }
      int first = out.size();
      decodeOnce(ctx, buffer, out);
      HttpRequest chunked = unfinishedChunkedRequest(out, first);
      if (chunked != null) {
        decodeBufferedChunks(ctx, buffer, out, chunked);
      }
      for (int i = first; i < out.size(); i++) {
        Object msg = out.get(i);
        if (msg instanceof HttpRequest request) {
          midRequest = true;
          methods.add(request.method());
          candidate = request.decoderResult().isSuccess() && mayHijack.test(request) ? request : null;
        }
        if (msg instanceof LastHttpContent) {
          midRequest = false;
          folds.headStarts();
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

    private void decodeOnce(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
      int before = buffer.readerIndex();
      super.decode(ctx, buffer, out);
      folds.consumed(buffer.readerIndex() - before);
    }

    /** A chunked request head just decoded whose last chunk is not decoded yet, or null. */
    private static HttpRequest unfinishedChunkedRequest(List<Object> out, int first) {
      HttpRequest chunked = null;
      for (int i = first; i < out.size(); i++) {
        Object msg = out.get(i);
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess() && HttpUtil.isTransferEncodingChunked(request)) {
          chunked = request;
        }
        if (msg instanceof LastHttpContent) {
          chunked = null;
        }
      }
      return chunked;
    }

    /**
     * Decodes the chunks already buffered behind a chunked head, before the head leaves the decoder: if
     * one of them is malformed (a chunk size that is not hex, a chunk not ended by CRLF) the head itself
     * is marked failed, and the request is refused before anything of it reaches the daemon. A bad chunk
     * that arrives later, once the head has been forwarded, ends the exchange and closes the backend
     * connection mid-body, so the daemon never reads a complete request either.
     */
    private void decodeBufferedChunks(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out, HttpRequest head) throws Exception {
      while (buffer.isReadable()) {
        int size = out.size();
        int readable = buffer.readableBytes();
        decodeOnce(ctx, buffer, out);
        for (int i = size; i < out.size(); i++) {
          if (out.get(i) instanceof HttpContent content) {
            if (content.decoderResult().isFailure()) {
              head.setDecoderResult(DecoderResult.failure(content.decoderResult().cause()));
            }
            if (content instanceof LastHttpContent) {
              return;
            }
          }
        }
        if (out.size() == size && buffer.readableBytes() == readable) {
          return;
        }
      }
    }

    /** Emits a failed request in place of what is left on the connection, which is refused and closed. */
    private void refuseRest(List<Object> out, String why) {
      broken = true;
      HttpRequest refused = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
      refused.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(why)));
      methods.add(refused.method());
      out.add(refused);
    }

    /**
     * The client ended its side (a FIN, or TLS close_notify) or the connection: a request whose body was
     * cut short ends with a failed last content, in order after the body that did arrive, so that its
     * exchange is refused and closed instead of waiting for bytes that cannot come. Netty does this for a
     * chunked body but not for one with a Content-Length.
     */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
      int first = out.size();
      super.decodeLast(ctx, in, out);
      for (int i = first; i < out.size(); i++) {
        if (out.get(i) instanceof LastHttpContent) {
          midRequest = false;
        }
      }
      if (midRequest && !frozen) {
        midRequest = false;
        LastHttpContent cut = new DefaultLastHttpContent();
        cut.setDecoderResult(DecoderResult.failure(
            new PrematureChannelClosureException("the client ended its side before the request body was complete")));
        out.add(cut);
      }
    }

    /**
     * RFC 9112 section 6.1: a request with both framings "ought to be handled as an error". Netty drops
     * the Content-Length and reads chunks; a daemon or a proxy in between might read the length instead.
     */
    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
      super.handleTransferEncodingChunkedWithContentLength(message);
      message.setDecoderResult(DecoderResult.failure(
          new IllegalArgumentException("both Content-Length and Transfer-Encoding: chunked (request smuggling)")));
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
