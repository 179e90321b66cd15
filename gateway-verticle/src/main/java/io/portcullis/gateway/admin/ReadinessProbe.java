package io.portcullis.gateway.admin;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.AuthClient;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.IdentifyRequest;
import io.portcullis.contracts.RegistryClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * {@code /readiness}: this node may take traffic when it is in its cluster, the auth and registry
 * services answer on the event bus (on this node or another), and at least one backend host is up.
 * Any answer from auth counts, a refusal too: the question is whether it is there.
 */
final class ReadinessProbe {
  /** Not ready: the answer says which check failed. */
  static final class NotReady extends RuntimeException {
    private final JsonObject answer;

    NotReady(JsonObject answer) {
      super(answer.encode(), null, false, false);
      this.answer = answer;
    }

    JsonObject answer() {
      return answer;
    }
  }

  private final Vertx vertx;
  private final AuthClient auth;
  private final RegistryClient registry;

  ReadinessProbe(Vertx vertx, AuthClient auth, RegistryClient registry) {
    this.vertx = vertx;
    this.auth = auth;
    this.registry = registry;
  }

  Future<JsonObject> readiness() {
    if (Boolean.TRUE.equals(vertx.sharedData().getLocalMap(io.portcullis.contracts.NodeState.MAP).get(io.portcullis.contracts.NodeState.STOPPING))) {
      return Future.failedFuture(new NotReady(new JsonObject().put("status", "DOWN").put("stopping", true)));
    }
    Future<String> authState = auth.identify(IdentifyRequest.plaintext("readiness-probe"))
        .map(t -> "UP")
        .recover(err -> Future.succeededFuture(err instanceof ApiException api && api.status() == 503 ? "DOWN: " + api.getMessage() : "UP"));
    Future<JsonObject> hosts = registry.hosts().map(list -> {
      long up = list.stream().filter(h -> h.state() == BackendHost.HostState.UP).count();
      return new JsonObject().put("registry", "UP").put("backendsUp", up).put("backends", list.size());
    }).otherwise(err -> new JsonObject().put("registry", "DOWN: " + err.getMessage()).put("backendsUp", 0));
    return Future.all(authState, hosts).compose(v -> {
      JsonObject answer = hosts.result().copy()
          .put("cluster", vertx.isClustered() ? "UP" : "DOWN")
          .put("auth", authState.result());
      boolean ready = vertx.isClustered() && "UP".equals(answer.getString("auth"))
          && "UP".equals(answer.getString("registry")) && answer.getLong("backendsUp", 0L) > 0;
      answer.put("status", ready ? "UP" : "DOWN");
      return ready ? Future.succeededFuture(answer) : Future.failedFuture(new NotReady(answer));
    });
  }
}
