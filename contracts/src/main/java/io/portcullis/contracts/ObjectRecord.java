package io.portcullis.contracts;

import io.vertx.core.json.JsonObject;

/**
 * A tenant's object the edge saw created on a host, so the registry's index knows it before the
 * host's event stream tells (the client's next call may come first).
 *
 * @param name the backend name ("" when the daemon chose none or for an exec instance)
 */
public record ObjectRecord(ObjectKind kind, String id, String name, String tenant, String host) {

  public JsonObject toJson() {
    return new JsonObject().put("kind", kind.wireName()).put("id", id).put("name", name)
        .put("tenant", tenant).put("host", host);
  }

  public static ObjectRecord fromJson(JsonObject json) {
    return new ObjectRecord(ObjectKind.fromWire(json.getString("kind")), json.getString("id"), json.getString("name", ""),
        json.getString("tenant"), json.getString("host"));
  }
}
