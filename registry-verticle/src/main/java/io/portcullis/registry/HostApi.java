package io.portcullis.registry;

import io.portcullis.contracts.BackendHost;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/** The registry's own calls to the hosts' daemons other than health pings: inspects, lists, event streams. */
public final class HostApi {
  private final HttpClient http;
  private final long timeoutMs;

  public HostApi(HttpClient http, long timeoutMs) {
    this.http = http;
    this.timeoutMs = timeoutMs;
  }

  /** A JSON answer to a GET (an object or an array), or null when the daemon answers 404. */
  public Future<Object> getJson(BackendHost host, String path) {
    return http.request(options(host, path).setIdleTimeout(timeoutMs))
        .compose(HttpClientRequest::send)
        .compose(resp -> resp.body().map(body -> {
          if (resp.statusCode() == 404) {
            return null;
          }
          if (resp.statusCode() != 200) {
            throw new IllegalStateException("host " + host.name() + " answered " + resp.statusCode() + " to GET " + path);
          }
          return Json.decodeValue(body);
        }));
  }

  /**
   * Follows a stream of JSON lines ({@code /events}): each line to {@code onLine}; the returned request
   * can be reset to stop; {@code ended} completes when the stream ends or fails, whichever way.
   */
  public Future<HttpClientRequest> follow(BackendHost host, String path, Consumer<JsonObject> onLine, Promise<Void> ended) {
    return http.request(options(host, path).setIdleTimeout(0)).onSuccess(req -> req.send().onComplete(ar -> {
      if (ar.failed()) {
        ended.tryFail(ar.cause());
        return;
      }
      var resp = ar.result();
      if (resp.statusCode() != 200) {
        resp.body().onComplete(b -> ended.tryFail("host " + host.name() + " answered " + resp.statusCode() + " to " + path));
        return;
      }
      LineSplitter lines = new LineSplitter(onLine);
      resp.handler(lines::feed);
      resp.exceptionHandler(ended::tryFail);
      resp.endHandler(v -> ended.tryComplete());
    })).onFailure(ended::tryFail);
  }

  private static RequestOptions options(BackendHost host, String path) {
    return host.requestOptions(path);
  }

  /** Splits a byte stream into JSON lines; a line that is not a JSON object is skipped. */
  private static final class LineSplitter {
    private final Consumer<JsonObject> onLine;
    private Buffer pending = Buffer.buffer();

    LineSplitter(Consumer<JsonObject> onLine) {
      this.onLine = onLine;
    }

    void feed(Buffer chunk) {
      pending.appendBuffer(chunk);
      int start = 0;
      for (int i = 0; i < pending.length(); i++) {
        if (pending.getByte(i) == '\n') {
          emit(pending.getString(start, i));
          start = i + 1;
        }
      }
      pending = pending.getBuffer(start, pending.length());
    }

    private void emit(String line) {
      if (line.isBlank()) {
        return;
      }
      try {
        onLine.accept(new JsonObject(line));
      } catch (RuntimeException e) {
        // A line we cannot read tells us nothing; the next rebuild corrects the index anyway.
      }
    }
  }
}
