package io.portcullis.contracts;

import io.vertx.core.json.JsonObject;

/**
 * One open hijacked session (attach, exec start...) as an edge instance describes it to the admin API.
 *
 * @param id unique in the cluster: the edge instance's id and a sequence number
 * @param node the node whose edge holds it ({@link NodeState#NAME})
 * @param endpoint method and path pattern, e.g. {@code POST /containers/{id}/attach}
 * @param objectId the container or exec the call named (the tenant's spelling), or null
 * @param openedAt when it was spliced (ISO-8601)
 */
public record LiveSession(String id, String node, String tenant, String endpoint, String objectId, String openedAt,
    long clientToBackendBytes, long backendToClientBytes) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("node", node).put("tenant", tenant).put("endpoint", endpoint)
        .put("openedAt", openedAt).put("clientToBackendBytes", clientToBackendBytes).put("backendToClientBytes", backendToClientBytes);
    if (objectId != null) {
      json.put("objectId", objectId);
    }
    return json;
  }

  public static LiveSession fromJson(JsonObject json) {
    return new LiveSession(json.getString("id"), json.getString("node"), json.getString("tenant"), json.getString("endpoint"),
        json.getString("objectId"), json.getString("openedAt"), json.getLong("clientToBackendBytes", 0L),
        json.getLong("backendToClientBytes", 0L));
  }
}
