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

  /**
   * The request for a TLS peer's certificate chain (leaf first), or null when the chain is empty.
   *
   * @throws IllegalArgumentException when a certificate cannot be encoded
   */
  public static IdentifyRequest fromPeerCertificates(String remoteAddress, List<java.security.cert.Certificate> chain) {
    if (chain == null || chain.isEmpty()) {
      return null;
    }
    try {
      List<String> encoded = new java.util.ArrayList<>(chain.size());
      for (java.security.cert.Certificate c : chain) {
        encoded.add(java.util.Base64.getEncoder().encodeToString(c.getEncoded()));
      }
      String fingerprint = java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(chain.get(0).getEncoded()));
      return tls(remoteAddress, fingerprint, encoded);
    } catch (java.security.cert.CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalArgumentException("certificate not recognised: it cannot be encoded", e);
    }
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
