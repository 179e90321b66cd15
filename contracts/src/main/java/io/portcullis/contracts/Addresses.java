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
  /** Request: {@link RouteRequest}; reply: {@link Route}; failure code 503 when no host can serve. */
  public static final String REGISTRY_ROUTE = "portcullis.registry.route";
  /**
   * Published: a {@link BackendHost} whose registration, drain flag or health changed; with
   * {@code "removed": true} when it was removed.
   */
  public static final String REGISTRY_EVENTS_HOST_CHANGED = "portcullis.registry.events.host-changed";
}
