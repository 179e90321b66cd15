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
   * Request: {}; reply: {@code {"tenants": [{"name", "role", "created", "keys": N, "serials": [hex...],
   * "revoked": [hex...]}], "revokedSerials": [hex...]}}: {@code serials} are the certificates issued to the
   * tenant since serials were recorded, {@code revoked} those of them refused.
   */
  public static final String AUTH_TENANTS_LIST = "portcullis.auth.tenants.list";
  /**
   * Request: {@code {"name", "role": "tenant"|"admin", "keyType": "ec"|"rsa"|"ed25519"}}: registers the
   * tenant and issues a client certificate for a key pair made on the auth node. Reply: the tenant as
   * listed plus {@code "serial"} and {@code "bundle": {"ca.pem", "cert.pem", "key.pem"}} (PEM text; the
   * private key is in this reply only, never stored); failure 400 (invalid name, role or key type), 409
   * (the tenant exists).
   */
  public static final String AUTH_TENANTS_ADD = "portcullis.auth.tenants.add";
  /** Request: {@code {"name"}}: every certificate naming it is refused from then on. Reply: {@code {"removed": name}}; failure 404. */
  public static final String AUTH_TENANTS_REMOVE = "portcullis.auth.tenants.remove";
  /** Request: {@code {"tenant"}}; reply: {@code {"tenant", "keys": [{"fingerprint", "comment", "added"}]}}; failure 404. */
  public static final String AUTH_KEYS_LIST = "portcullis.auth.keys.list";
  /**
   * Request: {@code {"tenant", "key": PEM or OpenSSH line, "comment"?}}: a certificate with this key, even
   * self-signed, identifies the tenant. Reply: {@code {"tenant", "fingerprint"}}; failure 400 (not a
   * public key, or another tenant's), 404 (no such tenant).
   */
  public static final String AUTH_KEYS_ADD = "portcullis.auth.keys.add";
  /** Request: {@code {"tenant", "fingerprint"}} (at least 8 leading hex digits); reply: {@code {"tenant", "removed": fingerprint}}; failure 404. */
  public static final String AUTH_KEYS_REMOVE = "portcullis.auth.keys.remove";
  /** Request: {@code {"serial": hex}}; reply: {@code {"revoked": normalised hex}}; failure 400 (not hexadecimal). */
  public static final String AUTH_REVOKE = "portcullis.auth.revoke";

  /**
   * Published request to every edge instance of the cluster: {@code {"replyTo": address}}; each instance
   * sends {@code {"sessions": [LiveSession...]}} (its open hijacked sessions) to {@code replyTo}, where
   * the asker collects the answers for a short bounded time ({@link SessionsClient}).
   */
  public static final String EDGE_SESSIONS_LIST = "portcullis.edge.sessions.list";
  /**
   * Published request: {@code {"id", "replyTo"}}: the edge instance holding the session closes both of its
   * sockets (the client sees the stream end) and sends {@code {"ended": LiveSession}} to {@code replyTo};
   * the others stay silent.
   */
  public static final String EDGE_SESSIONS_END = "portcullis.edge.sessions.end";

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
