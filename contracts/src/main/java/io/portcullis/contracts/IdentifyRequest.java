package io.portcullis.contracts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the edge knows about a client connection when it asks who it is. {@code transport} is
 * {@code plaintext} or {@code tls}; on TLS, {@code certificateFingerprint} is the SHA-256 of the client
 * certificate (hex) and {@code certificateChain} the chain as sent, base64 DER, leaf first.
 */
public record IdentifyRequest(String transport, String remoteAddress, String certificateFingerprint, List<String> certificateChain) {

  public IdentifyRequest {
    certificateChain = certificateChain == null ? List.of() : List.copyOf(certificateChain);
  }

  public static IdentifyRequest plaintext(String remoteAddress) {
    return new IdentifyRequest("plaintext", remoteAddress, null, List.of());
  }

  public static IdentifyRequest tls(String remoteAddress, String fingerprint, List<String> chain) {
    return new IdentifyRequest("tls", remoteAddress, fingerprint, chain);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("transport", transport).put("remoteAddress", remoteAddress);
    if (certificateFingerprint != null) {
      json.put("certificateFingerprint", certificateFingerprint);
    }
    if (!certificateChain.isEmpty()) {
      json.put("certificateChain", new JsonArray(certificateChain));
    }
    return json;
  }

  public static IdentifyRequest fromJson(JsonObject json) {
    JsonArray chain = json.getJsonArray("certificateChain", new JsonArray());
    return new IdentifyRequest(json.getString("transport"), json.getString("remoteAddress"),
        json.getString("certificateFingerprint"), chain.stream().map(Object::toString).toList());
  }
}
