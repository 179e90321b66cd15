package io.portcullis.gateway.edge;

import io.portcullis.contracts.AuthClient;
import io.portcullis.contracts.IdentifyRequest;
import io.portcullis.contracts.Tenant;
import io.vertx.core.Future;
import java.util.function.LongSupplier;

/**
 * The edge's short memory of who a credential is, so that a new connection (every attach and exec
 * opens one) does not cost an event-bus round trip to the auth verticle. Keyed by the credential
 * (transport and certificate fingerprint), never by address.
 */
public final class IdentityCache {
  private final AuthClient auth;
  private final AnswerCache<String, Tenant> byCredential;
  private long generation;

  public IdentityCache(AuthClient auth, long ttlMs, LongSupplier clock) {
    this.auth = auth;
    this.byCredential = new AnswerCache<>(ttlMs, clock);
  }

  public Future<Tenant> identify(IdentifyRequest request) {
    String fingerprint = request.certificateFingerprint() == null ? "" : request.certificateFingerprint();
    return byCredential.get(request.transport() + "|" + fingerprint, () -> auth.identify(request));
  }

  /** Forgets every answer: the auth state changed (a revocation, a removed tenant or key). */
  public void invalidate() {
    byCredential.clear();
    generation++;
  }

  /** Changes whenever the cache is invalidated, so that a connection knows its identity must be asked again. */
  public long generation() {
    return generation;
  }
}
