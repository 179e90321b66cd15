package io.portcullis.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which verticles this node runs (config key {@code node.roles}, environment {@code PORTCULLIS_ROLES}):
 * {@code edge} (the tenants' listeners), {@code auth}, {@code registry} and {@code admin} (the admin
 * API); all four by default. Nodes of one cluster find each other's services over the event bus, so
 * edge-only nodes can face the tenants while auth and registry run elsewhere.
 */
enum NodeRoles {
  EDGE, AUTH, REGISTRY, ADMIN;

  static Set<NodeRoles> fromConfig(JsonObject config) {
    Object given = config.getJsonObject("node", new JsonObject()).getValue("roles");
    if (given == null) {
      return EnumSet.allOf(NodeRoles.class);
    }
    if (!(given instanceof JsonArray list) || list.isEmpty()) {
      throw new IllegalArgumentException("invalid configuration node.roles: a non-empty list of edge, auth, registry, admin");
    }
    Set<NodeRoles> roles = EnumSet.noneOf(NodeRoles.class);
    for (Object role : list) {
      try {
        roles.add(valueOf(String.valueOf(role).trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid configuration node.roles: unknown role " + role + " (edge, auth, registry, admin)");
      }
    }
    return roles;
  }
}
