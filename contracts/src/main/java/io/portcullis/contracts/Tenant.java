package io.portcullis.contracts;

import io.vertx.core.json.JsonObject;

/**
 * An authenticated identity: the tenant every call of one client connection is made as, and its role
 * ({@code tenant}, or {@code admin} for the operators' identities).
 */
public record Tenant(String id, String role) {

  public Tenant {
    role = role == null ? "tenant" : role;
  }

  public Tenant(String id) {
    this(id, "tenant");
  }

  public boolean isAdmin() {
    return "admin".equals(role);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("role", role);
  }

  public static Tenant fromJson(JsonObject json) {
    return new Tenant(json.getString("id"), json.getString("role"));
  }
}
