package io.portcullis.contracts;

import io.vertx.core.json.JsonObject;

/**
 * What the edge knows about a client connection when it asks who it is.
 * {@code transport} is {@code plaintext} or {@code tls}; {@code certificateFingerprint} is the
 * SHA-256 of the TLS client certificate (absent on plaintext).
 */
public record IdentifyRequest(String transport, String remoteAddress, String certificateFingerprint) {

  public static IdentifyRequest plaintext(String remoteAddress) {
    return new IdentifyRequest("plaintext", remoteAddress, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("transport", transport).put("remoteAddress", remoteAddress);
    if (certificateFingerprint != null) {
      json.put("certificateFingerprint", certificateFingerprint);
    }
    return json;
  }

  public static IdentifyRequest fromJson(JsonObject json) {
    return new IdentifyRequest(json.getString("transport"), json.getString("remoteAddress"),
        json.getString("certificateFingerprint"));
  }
}
