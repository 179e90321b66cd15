package io.portcullis.contracts;

import io.vertx.core.json.JsonObject;

/** The registry's answer: the backend host that serves the call. */
public record Route(BackendHost host) {

  public JsonObject toJson() {
    return new JsonObject().put("host", host.toJson());
  }

  public static Route fromJson(JsonObject json) {
    return new Route(BackendHost.fromJson(json.getJsonObject("host")));
  }
}
