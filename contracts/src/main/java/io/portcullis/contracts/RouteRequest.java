package io.portcullis.contracts;

import io.vertx.core.json.JsonObject;

/** Which backend should serve this tenant's call? {@code family} is the classifier's endpoint family. */
public record RouteRequest(String tenant, String family) {

  public JsonObject toJson() {
    return new JsonObject().put("tenant", tenant).put("family", family);
  }

  public static RouteRequest fromJson(JsonObject json) {
    return new RouteRequest(json.getString("tenant"), json.getString("family"));
  }
}
