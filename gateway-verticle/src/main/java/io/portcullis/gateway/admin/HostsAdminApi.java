package io.portcullis.gateway.admin;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.RegistryClient;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /admin/hosts}: the registry's host messages over HTTP, nothing more.
 *
 * <pre>
 *   GET    /admin/hosts                     {"hosts": [...]}
 *   PUT    /admin/hosts/NAME                {"uri", "labels"?, "capacity"?, "tls"?: {"ca","cert","key"}}: register or update
 *   POST   /admin/hosts/NAME/drain          no new placements
 *   POST   /admin/hosts/NAME/undrain        placements again
 *   DELETE /admin/hosts/NAME                forget it
 * </pre>
 *
 * Hosts are shown without their TLS material ({@code "tls": true} says there is some).
 */
final class HostsAdminApi implements AdminResource {
  private static final Pattern ONE = Pattern.compile("/admin/hosts/([^/]+)(/drain|/undrain)?");

  private final RegistryClient registry;

  HostsAdminApi(RegistryClient registry) {
    this.registry = registry;
  }

  @Override
  public boolean handles(String path) {
    return path.equals("/admin/hosts") || path.startsWith("/admin/hosts/");
  }

  @Override
  public Future<JsonObject> handle(HttpMethod method, String path, JsonObject body) {
    if (path.equals("/admin/hosts")) {
      if (!method.equals(HttpMethod.GET)) {
        return Future.failedFuture(new ApiException(405, "use GET /admin/hosts, or PUT/DELETE /admin/hosts/NAME"));
      }
      return registry.hosts().map(hosts -> {
        JsonArray shown = new JsonArray();
        hosts.forEach(h -> shown.add(shown(h)));
        return new JsonObject().put("hosts", shown);
      });
    }
    Matcher m = ONE.matcher(path);
    if (!m.matches()) {
      return Future.failedFuture(ApiException.notFound("no such admin resource: " + path));
    }
    String name = m.group(1);
    String action = m.group(2);
    if (action != null) {
      if (!method.equals(HttpMethod.POST)) {
        return Future.failedFuture(new ApiException(405, "use POST " + path));
      }
      return registry.drain(name, action.equals("/drain")).map(HostsAdminApi::shown);
    }
    if (method.equals(HttpMethod.DELETE)) {
      return registry.remove(name).map(HostsAdminApi::shown);
    }
    if (method.equals(HttpMethod.PUT)) {
      BackendHost host;
      try {
        host = BackendHost.fromJson(body.copy().put("name", name));
      } catch (RuntimeException e) {
        return Future.failedFuture(ApiException.badRequest("invalid host: " + e.getMessage()));
      }
      return registry.register(host).map(HostsAdminApi::shown);
    }
    return Future.failedFuture(new ApiException(405, "use PUT, DELETE, or POST .../drain|undrain on " + path));
  }

  private static JsonObject shown(BackendHost host) {
    JsonObject json = host.toJson();
    json.put("tls", json.remove("tls") != null);
    return json;
  }
}
