package io.portcullis.app;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.BackendHost;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The {@code host} subcommands against a running gateway's admin API ({@link AdminApi}). */
final class AdminApiHosts implements HostTarget {
  private final AdminApi api;

  AdminApiHosts(AdminApi api) {
    this.api = api;
  }

  /** The answer, or null when the API says there is no such host. */
  private JsonObject call(HttpMethod method, String path, JsonObject body) throws Exception {
    try {
      return api.call(method, path, body);
    } catch (ApiException e) {
      if (e.status() == 404) {
        return null;
      }
      throw e;
    }
  }

  private static BackendHost shown(JsonObject json) {
    JsonObject copy = json.copy();
    copy.remove("tls");
    return BackendHost.fromJson(copy);
  }

  @Override
  public BackendHost put(BackendHost host) throws Exception {
    JsonObject body = host.toJson();
    body.remove("name");
    body.remove("state");
    return shown(api.call(HttpMethod.PUT, "/admin/hosts/" + AdminApi.encode(host.name()), body));
  }

  @Override
  public BackendHost drain(String name, boolean draining) throws Exception {
    JsonObject answer = call(HttpMethod.POST, "/admin/hosts/" + AdminApi.encode(name) + (draining ? "/drain" : "/undrain"), null);
    return answer == null ? null : shown(answer);
  }

  @Override
  public boolean remove(String name) throws Exception {
    return call(HttpMethod.DELETE, "/admin/hosts/" + AdminApi.encode(name), null) != null;
  }

  @Override
  public List<BackendHost> list() throws Exception {
    return api.call(HttpMethod.GET, "/admin/hosts", null).getJsonArray("hosts").stream()
        .map(o -> shown((JsonObject) o)).toList();
  }

  /** The API's answer as it came. */
  @Override
  public JsonObject listAsJson() throws Exception {
    return api.call(HttpMethod.GET, "/admin/hosts", null);
  }

  @Override
  public boolean live() {
    return true;
  }

  @Override
  public void close() {
    api.close();
  }
}
