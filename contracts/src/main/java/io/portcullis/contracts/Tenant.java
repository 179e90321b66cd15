package io.portcullis.contracts;

import io.vertx.core.json.JsonObject;

/** An authenticated tenant: the identity every call of one client connection is made as. */
public record Tenant(String id) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id);
  }

  public static Tenant fromJson(JsonObject json) {
    return new Tenant(json.getString("id"));
  }
}
