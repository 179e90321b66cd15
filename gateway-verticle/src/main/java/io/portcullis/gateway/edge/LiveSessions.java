package io.portcullis.gateway.edge;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.IdentifyRequest;
import io.portcullis.contracts.LiveSession;
import io.portcullis.gateway.splice.SplicedStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The hijacked sessions open on one event loop, with the credential each was opened with and what the
 * admin API shows of it. When the auth verticle says its state changed (a certificate revoked, a tenant
 * or key removed), every credential in use is asked about again, and the sessions of those no longer
 * accepted are closed. An operator may list them and end one ({@link #list()}, {@link #end}); the
 * description is made once, when the session is spliced, so the byte path pays nothing for it.
 */
public final class LiveSessions {
  private static final System.Logger log = System.getLogger(LiveSessions.class.getName());

  /** A session's credential (null: none to re-check) and its description as opened. */
  private record Held(IdentifyRequest credential, LiveSession opened) {}

  private final Map<SplicedStream, Held> sessions = new LinkedHashMap<>();

  private final IdentityCache identities;
  private final String instanceId;
  private final String node;
  private long sequence;

  /** Sessions whose credentials are checked against {@code identities}; ids are {@code instanceId-N}. */
  public LiveSessions(IdentityCache identities, String instanceId, String node) {
    this.identities = identities;
    this.instanceId = instanceId;
    this.node = node;
  }

  /** What a spliced call was: who made it, which endpoint, on which object (null if none). */
  public record Opened(String tenant, String method, String path, String objectId) {}

  /**
   * Registers a session opened with a credential identified at cache generation {@code generation}; if
   * the auth state changed since, the credential is checked again at once, as {@link #recheck} would
   * have done had the session existed then.
   */
  void add(SplicedStream session, IdentifyRequest credential, long generation, Opened opened) {
    LiveSession described = new LiveSession(instanceId + "-" + (++sequence), node, opened.tenant(),
        endpoint(opened.method(), opened.path(), opened.objectId()), opened.objectId(), Instant.now().toString(), 0, 0);
    sessions.put(session, new Held(credential, described));
    session.closed().onComplete(v -> sessions.remove(session));
    if (credential != null && generation != identities.generation()) {
      identities.identify(credential).onFailure(err -> closeIfRefused(err, List.of(session)));
    }
  }

  /** {@code POST /containers/{id}/attach} for {@code POST /containers/web/attach}: the call, not the object. */
  static String endpoint(String method, String path, String objectId) {
    String pattern = objectId == null ? path : path.replaceFirst("/" + Pattern.quote(objectId) + "(?=/|$)", "/{id}");
    return method + " " + pattern;
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

  /** The open sessions with the bytes each carried so far. */
  public List<LiveSession> list() {
    List<LiveSession> open = new ArrayList<>(sessions.size());
    sessions.forEach((session, held) -> open.add(withBytes(held.opened(), session)));
    return open;
  }

  /** Closes the session with this id, if it is here; the client sees its stream end. */
  public Optional<LiveSession> end(String id) {
    for (Map.Entry<SplicedStream, Held> e : sessions.entrySet()) {
      if (e.getValue().opened().id().equals(id)) {
        LiveSession ended = withBytes(e.getValue().opened(), e.getKey());
        log.log(System.Logger.Level.INFO, "ending session " + id + " (" + ended.tenant() + ", " + ended.endpoint() + ") on an operator's request");
        e.getKey().close();
        return Optional.of(ended);
      }
    }
    return Optional.empty();
  }

  private static LiveSession withBytes(LiveSession s, SplicedStream stream) {
    return new LiveSession(s.id(), s.node(), s.tenant(), s.endpoint(), s.objectId(), s.openedAt(),
        stream.clientToBackendBytes(), stream.backendToClientBytes());
  }

  /** Re-checks every credential in use (the identity cache must already be cleared). */
  public void recheck() {
    Map<String, List<SplicedStream>> byCredential = new HashMap<>();
    Map<String, IdentifyRequest> requests = new HashMap<>();
    sessions.forEach((session, held) -> {
      IdentifyRequest credential = held.credential();
      if (credential == null) {
        return;
      }
      String key = credential.transport() + "|" + credential.certificateFingerprint();
      byCredential.computeIfAbsent(key, k -> new ArrayList<>()).add(session);
      requests.put(key, credential);
    });
    requests.forEach((key, credential) -> identities.identify(credential)
        .onFailure(err -> closeIfRefused(err, byCredential.get(key))));
  }
}
