package io.portcullis.app;

import io.portcullis.contracts.BackendHost;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code host} subcommands against a running gateway's admin API ({@code --admin URL}), with an
 * admin bundle ({@code --cert-path DIR}: ca.pem, cert.pem, key.pem, as {@code tenant add NAME --admin
 * --out DIR} writes it). Works from any machine that reaches the admin port, whatever node's disk
 * holds the state.
 */
final class AdminApiHosts implements HostTarget {
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http;
  private final URI base;

  AdminApiHosts(String url, Path certPath) {
    this.base = URI.create(url);
    if (!"https".equals(base.getScheme()) || base.getHost() == null) {
      throw new IllegalArgumentException("--admin must be an https:// URL, like https://127.0.0.1:2377");
    }
    this.http = vertx.createHttpClient(new HttpClientOptions()
        .setSsl(true)
        .setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(certPath.resolve("ca.pem").toString()))
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certPath.resolve("cert.pem").toString())
            .setKeyPath(certPath.resolve("key.pem").toString())));
  }

  private JsonObject call(HttpMethod method, String path, JsonObject body) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(method).setHost(base.getHost())
        .setPort(base.getPort() < 0 ? 2377 : base.getPort()).setURI(path);
    return http.request(options)
        .compose(req -> body == null ? req.send() : req.putHeader("Content-Type", "application/json").send(body.toBuffer()))
        .compose(resp -> resp.body().map(answer -> new Answer(resp.statusCode(), answer)))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
        .orThrow();
  }

  private record Answer(int status, Buffer body) {
    JsonObject orThrow() {
      JsonObject json = body.length() == 0 ? new JsonObject() : new JsonObject(body);
      if (status == 404) {
        return null;
      }
      if (status != 200) {
        throw new IllegalStateException(json.getString("message", "the admin API answered " + status));
      }
      return json;
    }
  }

  private static String encode(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  private static BackendHost shown(JsonObject json) {
    JsonObject copy = json.copy();
    copy.remove("tls");
    return BackendHost.fromJson(copy);
  }

  @Override
  public BackendHost put(BackendHost host) throws Exception {
    JsonObject body = host.toJson();
    body.remove("name");
    body.remove("state");
    return shown(call(HttpMethod.PUT, "/admin/hosts/" + encode(host.name()), body));
  }

  @Override
  public BackendHost drain(String name, boolean draining) throws Exception {
    JsonObject answer = call(HttpMethod.POST, "/admin/hosts/" + encode(name) + (draining ? "/drain" : "/undrain"), null);
    return answer == null ? null : shown(answer);
  }

  @Override
  public boolean remove(String name) throws Exception {
    return call(HttpMethod.DELETE, "/admin/hosts/" + encode(name), null) != null;
  }

  @Override
  public List<BackendHost> list() throws Exception {
    return call(HttpMethod.GET, "/admin/hosts", null).getJsonArray("hosts").stream()
        .map(o -> shown((JsonObject) o)).toList();
  }

  @Override
  public boolean live() {
    return true;
  }

  @Override
  public void close() {
    vertx.close();
  }
}
