package io.portcullis.contracts;

import io.vertx.core.json.JsonObject;

/**
 * Which host holds the tenant's object {@code ref} (full ID, unique ID prefix, or the tenant's name)?
 * With {@code fresh}, the registry asks the hosts instead of trusting its index (the edge asks again
 * so when the host the index named no longer has the object).
 */
public record LocateRequest(String tenant, ObjectKind kind, String ref, boolean fresh) {

  public JsonObject toJson() {
    return new JsonObject().put("tenant", tenant).put("kind", kind.wireName()).put("ref", ref).put("fresh", fresh);
  }

  public static LocateRequest fromJson(JsonObject json) {
    return new LocateRequest(json.getString("tenant"), ObjectKind.fromWire(json.getString("kind")),
        json.getString("ref", ""), json.getBoolean("fresh", false));
  }
}
