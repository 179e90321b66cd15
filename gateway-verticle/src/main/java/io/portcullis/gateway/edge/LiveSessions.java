package io.portcullis.gateway.edge;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.IdentifyRequest;
import io.portcullis.gateway.splice.SplicedStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hijacked sessions open on one event loop, with the credential each was opened with. When the
 * auth verticle says its state changed (a certificate revoked, a tenant or key removed), every
 * credential in use is asked about again, and the sessions of those no longer accepted are closed.
 */
public final class LiveSessions {
  private static final System.Logger log = System.getLogger(LiveSessions.class.getName());

  private final Map<SplicedStream, IdentifyRequest> sessions = new HashMap<>();

  private final IdentityCache identities;

  /** Sessions whose credentials are checked against {@code identities}. */
  public LiveSessions(IdentityCache identities) {
    this.identities = identities;
  }

  /**
   * Registers a session opened with a credential identified at cache generation {@code generation}; if
   * the auth state changed since, the credential is checked again at once, as {@link #recheck} would
   * have done had the session existed then.
   */
  void add(SplicedStream session, IdentifyRequest credential, long generation) {
    if (credential == null) {
      return;
    }
    sessions.put(session, credential);
    session.closed().onComplete(v -> sessions.remove(session));
    if (generation != identities.generation()) {
      identities.identify(credential).onFailure(err -> closeIfRefused(err, List.of(session)));
    }
  }

  private static void closeIfRefused(Throwable err, List<SplicedStream> refused) {
    if (err instanceof ApiException api && (api.status() == 401 || api.status() == 403)) {
      log.log(System.Logger.Level.INFO, "closing " + refused.size() + " hijacked session(s): " + api.getMessage());
      refused.forEach(SplicedStream::close);
    }
  }

  public int size() {
    return sessions.size();
  }

  /** Re-checks every credential in use (the identity cache must already be cleared). */
  public void recheck() {
    Map<String, List<SplicedStream>> byCredential = new HashMap<>();
    Map<String, IdentifyRequest> requests = new HashMap<>();
    sessions.forEach((session, credential) -> {
      String key = credential.transport() + "|" + credential.certificateFingerprint();
      byCredential.computeIfAbsent(key, k -> new ArrayList<>()).add(session);
      requests.put(key, credential);
    });
    requests.forEach((key, credential) -> identities.identify(credential)
        .onFailure(err -> closeIfRefused(err, byCredential.get(key))));
  }
}
