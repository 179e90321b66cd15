package io.portcullis.gateway.edge;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.portcullis.gateway.classify.ApiCall;
import java.nio.charset.StandardCharsets;

/**
 * Calls the gateway answers itself, without a backend.
 *
 * <p>{@code POST /build/prune}: a host's build cache is shared by every tenant on it, so no tenant may
 * prune it; the answer says that nothing was deleted, rather than refuse, so that
 * {@code docker system prune} (which ends with this call) does its other prunes and succeeds. A
 * tenant's legacy-build leftovers are images of its own, which {@code image prune} removes.
 */
final class LocalAnswers {
  private static final byte[] NOTHING_PRUNED = "{\"CachesDeleted\":null,\"SpaceReclaimed\":0}".getBytes(StandardCharsets.UTF_8);

  private LocalAnswers() {}

  /** Whether the gateway answers this call itself. */
  static boolean answers(ApiCall call) {
    return call.family().equals("images.build-prune");
  }

  /** The gateway's own answer to a call it {@link #answers answers}. */
  static FullHttpResponse answer(ApiCall call, boolean keepAlive) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.wrappedBuffer(NOTHING_PRUNED));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, NOTHING_PRUNED.length)
        .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    return response;
  }
}
