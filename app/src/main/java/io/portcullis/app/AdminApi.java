package io.portcullis.app;

import io.portcullis.contracts.ApiException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A running gateway's admin API ({@code --admin URL}) for the jar's commands, with an admin bundle
 * ({@code --cert-path DIR}: ca.pem, cert.pem, key.pem, as {@code tenant add NAME --admin --out DIR}
 * writes it). Works from any machine that reaches the admin port, whatever node's disk holds the state.
 * A refusal comes back as the {@link ApiException} the API answered (status and message).
 */
final class AdminApi implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http;
  private final URI base;

  AdminApi(String url, Path certPath) {
    this.base = URI.create(url);
    if (!"https".equals(base.getScheme()) || base.getHost() == null) {
      vertx.close();
      throw new IllegalArgumentException("--admin must be an https:// URL, like https://127.0.0.1:2377");
    }
    this.http = vertx.createHttpClient(new HttpClientOptions()
        .setSsl(true)
        .setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(certPath.resolve("ca.pem").toString()))
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certPath.resolve("cert.pem").toString())
            .setKeyPath(certPath.resolve("key.pem").toString())));
  }

  /** One call; {@code body} null sends none. */
  JsonObject call(HttpMethod method, String path, JsonObject body) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(method).setHost(base.getHost())
        .setPort(base.getPort() < 0 ? 2377 : base.getPort()).setURI(path);
    JsonObject[] answer = new JsonObject[1];
    int status = http.request(options)
        .compose(req -> body == null ? req.send() : req.putHeader("Content-Type", "application/json").send(body.toBuffer()))
        .compose(resp -> resp.body().map(buffer -> {
          answer[0] = buffer.length() == 0 ? new JsonObject() : new JsonObject(buffer);
          return resp.statusCode();
        }))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    if (status / 100 != 2) {
      throw new ApiException(status, answer[0].getString("message", "the admin API answered " + status));
    }
    return answer[0];
  }

  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    vertx.close();
  }
}
