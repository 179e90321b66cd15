package io.portcullis.app;

import io.portcullis.contracts.BackendHost;
import io.portcullis.registry.HostStore;
import java.util.List;

/**
 * Where the {@code host} subcommands act: the state directory's {@code hosts.json} (a running node on
 * that directory picks the change up), or a running gateway's admin API ({@link AdminApiHosts}).
 */
interface HostTarget extends AutoCloseable {
  BackendHost put(BackendHost host) throws Exception;

  /** The host after the change, or null when no such host is known. */
  BackendHost drain(String name, boolean draining) throws Exception;

  boolean remove(String name) throws Exception;

  List<BackendHost> list() throws Exception;

  /**
   * The hosts in the admin API's shape, {@code {"hosts": [...]}}: TLS material never shown, only
   * whether there is some ({@code "tls": true}).
   */
  default io.vertx.core.json.JsonObject listAsJson() throws Exception {
    io.vertx.core.json.JsonArray shown = new io.vertx.core.json.JsonArray();
    list().forEach(h -> shown.add(h.toJson().put("tls", h.tls() != null)));
    return new io.vertx.core.json.JsonObject().put("hosts", shown);
  }

  /** Whether {@link #list()} shows health (a running gateway's view) or only registrations. */
  boolean live();

  @Override
  default void close() {}

  static HostTarget of(HostStore store) {
    return new HostTarget() {
      @Override
      public BackendHost put(BackendHost host) throws Exception {
        return store.put(host);
      }

      @Override
      public BackendHost drain(String name, boolean draining) throws Exception {
        return store.setDraining(name, draining);
      }

      @Override
      public boolean remove(String name) throws Exception {
        return store.remove(name);
      }

      @Override
      public List<BackendHost> list() throws Exception {
        return store.load();
      }

      @Override
      public boolean live() {
        return false;
      }
    };
  }
}
