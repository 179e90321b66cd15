package io.portcullis.gateway.admin;

import io.portcullis.contracts.LiveSession;
import io.portcullis.contracts.SessionsClient;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code /admin/sessions}: the hijacked sessions (attach, exec...) open on every edge of the cluster.
 *
 * <pre>
 *   GET    /admin/sessions        {"sessions": [{"id","node","tenant","endpoint","objectId"?,"openedAt",
 *                                  "clientToBackendBytes","backendToClientBytes"}]}
 *   DELETE /admin/sessions/ID     {"ended": session}: both sockets closed, the client sees its stream end; 404 unknown
 * </pre>
 */
final class SessionsAdminApi implements AdminResource {
  private final SessionsClient sessions;

  SessionsAdminApi(SessionsClient sessions) {
    this.sessions = sessions;
  }

  @Override
  public boolean handles(String path) {
    return path.equals("/admin/sessions") || path.startsWith("/admin/sessions/");
  }

  @Override
  public Future<JsonObject> handle(HttpMethod method, String path, JsonObject body) {
    if (path.equals("/admin/sessions")) {
      return method.equals(HttpMethod.GET)
          ? sessions.list().map(list -> new JsonObject().put("sessions", new JsonArray(list.stream().map(LiveSession::toJson).toList())))
          : AdminResource.notAllowed("use GET /admin/sessions, or DELETE /admin/sessions/ID");
    }
    String id = path.substring("/admin/sessions/".length());
    if (id.isEmpty() || id.contains("/")) {
      return Future.failedFuture(io.portcullis.contracts.ApiException.notFound("no such admin resource: " + path));
    }
    return method.equals(HttpMethod.DELETE)
        ? sessions.end(id).map(ended -> new JsonObject().put("ended", ended.toJson()))
        : AdminResource.notAllowed("use DELETE " + path);
  }
}
