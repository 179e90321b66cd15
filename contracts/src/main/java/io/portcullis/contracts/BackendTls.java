package io.portcullis.contracts;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the gateway reaches a host's daemon over mutual TLS (dockerd {@code --tlsverify}): the CA that
 * signed the daemon's certificate, and the client certificate and key the gateway presents. PEM text,
 * not file paths, so that a registration means the same on every node of a cluster. The daemon's
 * certificate must name the address in the host's URI (hostname verification is on).
 */
public record BackendTls(String ca, String cert, String key) {
  private static final Map<BackendTls, ClientSSLOptions> OPTIONS = new ConcurrentHashMap<>();

  public BackendTls {
    Objects.requireNonNull(ca, "tls.ca");
    Objects.requireNonNull(cert, "tls.cert");
    Objects.requireNonNull(key, "tls.key");
    requirePem(ca, "tls.ca", "CERTIFICATE");
    requirePem(cert, "tls.cert", "CERTIFICATE");
    requirePem(key, "tls.key", "PRIVATE KEY");
  }

  private static void requirePem(String pem, String field, String kind) {
    if (!pem.contains("-----BEGIN ") || !pem.contains(kind)) {
      throw new IllegalArgumentException("backend host " + field + " must be PEM text (-----BEGIN ..." + kind + "-----)");
    }
  }

  /** The TLS options to connect with, built once per distinct registration. */
  public ClientSSLOptions sslOptions() {
    return OPTIONS.computeIfAbsent(this, tls -> new ClientSSLOptions()
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(tls.ca())))
        .setKeyCertOptions(new PemKeyCertOptions().addCertValue(Buffer.buffer(tls.cert())).addKeyValue(Buffer.buffer(tls.key())))
        .setHostnameVerificationAlgorithm("HTTPS"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("ca", ca).put("cert", cert).put("key", key);
  }

  public static BackendTls fromJson(JsonObject json) {
    return new BackendTls(json.getString("ca"), json.getString("cert"), json.getString("key"));
  }

  /** Never the key, should a registration end up in a log line. */
  @Override
  public String toString() {
    return "BackendTls[mutual TLS]";
  }
}
