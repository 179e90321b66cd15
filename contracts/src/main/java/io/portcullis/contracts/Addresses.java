package io.portcullis.contracts;

/**
 * Every event-bus address the verticles use. Request/reply addresses are
 * {@code portcullis.<service>.<verb>}; published facts are {@code portcullis.<service>.events.<fact>}.
 * Bodies are JSON objects whose fields are only ever added, never renamed.
 */
public final class Addresses {
  private Addresses() {}

  /** Request: {@link IdentifyRequest}; reply: {@link Tenant}; failure code 401/403 with a reason. */
  public static final String AUTH_IDENTIFY = "portcullis.auth.identify";

  /**
   * Published whenever tenants, keys or revocations change (on any node): edges drop cached identities
   * and close hijacked sessions whose identity is no longer accepted.
   */
  public static final String AUTH_EVENTS_CHANGED = "portcullis.auth.events.changed";

  /**
   * Request: {@link BackendHost} (name, uri, optional labels, capacity, draining) plus
   * {@code "persist": false} for hosts declared in configuration (default true: stored in the state
   * directory and registered again at every start); registering a known name updates it. Reply: the
   * registered {@link BackendHost}; failure 400 for an invalid registration.
   */
  public static final String REGISTRY_HOSTS_REGISTER = "portcullis.registry.hosts.register";
  /**
   * Request: {@code {"name": "h1", "draining": true}}: a draining host takes no new placements, its
   * objects keep working; {@code false} ends draining. Reply: the {@link BackendHost}; failure 404.
   */
  public static final String REGISTRY_HOSTS_DRAIN = "portcullis.registry.hosts.drain";
  /** Request: {@code {"name": "h1"}}; reply: the removed {@link BackendHost}; failure 404. */
  public static final String REGISTRY_HOSTS_REMOVE = "portcullis.registry.hosts.remove";
  /** Request: {}; reply: {@code {"hosts": [BackendHost...]}}. */
  public static final String REGISTRY_HOSTS_LIST = "portcullis.registry.hosts.list";
  /**
   * Request: {@link RouteRequest}; reply: {@link Route} (the host for calls that address no object, and
   * the tenant's whole pool); failure code 503 when no host can serve.
   */
  public static final String REGISTRY_ROUTE = "portcullis.registry.route";
  /**
   * Request: {@link LocateRequest}; reply: {@link Located}; failure 404 when none of the tenant's hosts
   * has the object (the registry's index first, then the hosts themselves).
   */
  public static final String REGISTRY_OBJECTS_LOCATE = "portcullis.registry.objects.locate";
  /** Request: {@link ObjectRecord}, sent when the edge saw a create answered; reply: {}. */
  public static final String REGISTRY_OBJECTS_RECORD = "portcullis.registry.objects.record";
  /**
   * Request: {@link PlaceRequest}; reply: {@link Route} whose {@code host} takes the new object;
   * failure 409 (the request contradicts itself or the pool) or 503 (no host can take it now).
   */
  public static final String REGISTRY_PLACE = "portcullis.registry.place";
  /**
   * Published: a {@link BackendHost} whose registration, drain flag or health changed; with
   * {@code "removed": true} when it was removed.
   */
  public static final String REGISTRY_EVENTS_HOST_CHANGED = "portcullis.registry.events.host-changed";

  /**
   * Node-local (sent with {@code DeliveryOptions.setLocalOnly(true)}, consumed with
   * {@code localConsumer}): a verticle of this node wrote the state file named in the body
   * ({@code "hosts.json"}, {@code "tenants.json"}); the node's state replicator hands it to the cluster now
   * instead of at its next poll.
   */
  public static final String STATE_FILE_WRITTEN = "portcullis.state.local.written";
  /**
   * Node-local: the state replicator replaced the state file named in the body with the cluster's newer
   * copy; the verticle that reads it re-reads it now instead of at its next reload.
   */
  public static final String STATE_FILE_REPLACED = "portcullis.state.local.replaced";
}
