package io.portcullis.gateway.edge;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.portcullis.contracts.ApiException;
import io.portcullis.gateway.channel.Sockets;
import io.vertx.core.Future;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * The one place a failure becomes a response: Docker's {@code {"message": "..."}} with a fitting status,
 * which the docker CLI prints. Anything that is not an {@link ApiException} is a 500 with a generic
 * message, logged once with the request id. Once a response head has gone out (or the stream was
 * hijacked) there is no way to say it in JSON: the caller closes the connection instead.
 */
final class ErrorResponder {
  private static final System.Logger log = System.getLogger(ErrorResponder.class.getName());

  private ErrorResponder() {}

  static ApiException toApiException(Throwable err, String requestId) {
    if (err instanceof ApiException api) {
      return api;
    }
    log.log(System.Logger.Level.ERROR, "request " + requestId + " failed unexpectedly", err);
    return new ApiException(500, "internal gateway error (request " + requestId + ")");
  }

  /** Writes the error; closes the connection afterwards when {@code close} is set. */
  static Future<Void> respond(NetSocketInternal socket, ApiException error, boolean close) {
    Future<Void> written = write(socket, error, close);
    return close ? written.eventually(() -> Sockets.closeDiscardingInput(socket)) : written;
  }

  /**
   * Writes the error with {@code Connection: close} but leaves closing to the caller, which first
   * reads the rest of a request body the client is still sending.
   */
  static Future<Void> respondBeforeClosing(NetSocketInternal socket, ApiException error) {
    return write(socket, error, true);
  }

  /**
   * Answers the error that ends an exchange before its response began: the connection closes after it,
   * at once when the request body was all read, else once the connection has drained what the client
   * is still sending (so that it reads the answer instead of a reset).
   */
  static void respondEndingExchange(NetSocketInternal socket, ApiException error, boolean bodyRead) {
    if (bodyRead) {
      respond(socket, error, true);
    } else {
      respondBeforeClosing(socket, error);
    }
  }

  private static Future<Void> write(NetSocketInternal socket, ApiException error, boolean close) {
    byte[] body = new JsonObject().put("message", error.getMessage()).encode().getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(error.status()), Unpooled.wrappedBuffer(body));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return socket.writeMessage(response);
  }
}
