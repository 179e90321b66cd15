package io.portcullis.contracts;

import io.vertx.core.json.JsonObject;

/**
 * Where an object is: its host (with the host's current state), its full ID and backend name there
 * ("" if none); {@code fromIndex} says whether the registry's index knew it (false: the hosts were asked).
 */
public record Located(BackendHost host, String id, String name, boolean fromIndex) {

  public JsonObject toJson() {
    return new JsonObject().put("host", host.toJson()).put("id", id).put("name", name).put("fromIndex", fromIndex);
  }

  public static Located fromJson(JsonObject json) {
    return new Located(BackendHost.fromJson(json.getJsonObject("host")), json.getString("id"), json.getString("name", ""),
        json.getBoolean("fromIndex", false));
  }
}
