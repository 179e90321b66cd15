package io.portcullis.contracts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The registry's answer to "where may this tenant's calls go": {@code host} serves calls that address
 * no object (the first host of the pool that is not down); {@code hosts} is the tenant's whole pool,
 * in registration order and with each host's state, for calls that span hosts.
 */
public record Route(BackendHost host, List<BackendHost> hosts) {

  public Route {
    hosts = hosts == null ? List.of(host) : List.copyOf(hosts);
  }

  public Route(BackendHost host) {
    this(host, List.of(host));
  }

  /** Whether the tenant's calls span more than one host (lists merged, objects located, creates placed). */
  public boolean multiHost() {
    return hosts.size() > 1;
  }

  public JsonObject toJson() {
    JsonArray all = new JsonArray();
    hosts.forEach(h -> all.add(h.toJson()));
    return new JsonObject().put("host", host.toJson()).put("hosts", all);
  }

  public static Route fromJson(JsonObject json) {
    BackendHost host = BackendHost.fromJson(json.getJsonObject("host"));
    JsonArray all = json.getJsonArray("hosts");
    return new Route(host, all == null ? null : all.stream().map(o -> BackendHost.fromJson((JsonObject) o)).toList());
  }
}
