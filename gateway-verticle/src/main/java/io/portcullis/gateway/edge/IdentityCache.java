package io.portcullis.gateway.edge;

import io.portcullis.contracts.AuthClient;
import io.portcullis.contracts.IdentifyRequest;
import io.portcullis.contracts.Tenant;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The edge's short memory of who a credential is, so that a new connection (every attach and exec
 * opens one) does not cost an event-bus round trip to the auth verticle. Keyed by the credential
 * (transport and certificate fingerprint), never by address; failures are not kept. One instance per
 * event loop: no locking.
 */
public final class IdentityCache {
  private record Cached(Future<Tenant> tenant, long expiresAt) {}

  private final AuthClient auth;
  private final long ttlMs;
  private final LongSupplier clock;
  private final Map<String, Cached> byCredential = new HashMap<>();

  public IdentityCache(AuthClient auth, long ttlMs, LongSupplier clock) {
    this.auth = auth;
    this.ttlMs = ttlMs;
    this.clock = clock;
  }

  public Future<Tenant> identify(IdentifyRequest request) {
    String key = request.transport() + "|" + (request.certificateFingerprint() == null ? "" : request.certificateFingerprint());
    long now = clock.getAsLong();
    Cached cached = byCredential.get(key);
    if (cached != null && now < cached.expiresAt() && !cached.tenant().failed()) {
      return cached.tenant();
    }
    Future<Tenant> tenant = auth.identify(request);
    if (ttlMs > 0) {
      byCredential.put(key, new Cached(tenant, now + ttlMs));
    }
    return tenant;
  }

  public void invalidate() {
    byCredential.clear();
  }
}
