package io.portcullis.contracts;

import io.vertx.core.json.JsonObject;

/**
 * Where an object is: its host (with the host's current state) and its full ID there;
 * {@code fromIndex} says whether the registry's index knew it (false: the hosts were asked).
 */
public record Located(BackendHost host, String id, boolean fromIndex) {

  public JsonObject toJson() {
    return new JsonObject().put("host", host.toJson()).put("id", id).put("fromIndex", fromIndex);
  }

  public static Located fromJson(JsonObject json) {
    return new Located(BackendHost.fromJson(json.getJsonObject("host")), json.getString("id"), json.getBoolean("fromIndex", false));
  }
}
