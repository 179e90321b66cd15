package io.portcullis.app;

import io.vertx.core.Future;
import io.portcullis.contracts.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Keeps the state directory's mutable files ({@code tenants.json}: tenants, keys, revocations;
 * {@code hosts.json}: registered hosts) the same on every node of the cluster, through a cluster-wide
 * map (Hazelcast), so that no node's disk is needed by the others: a node whose file changed (the
 * command line, a registration on that node) puts it in the map; a node whose copy is older takes the
 * map's, writes it to its own directory and tells its auth and registry verticles to re-read it
 * ({@link Addresses#STATE_FILE_REPLACED}). A verticle that wrote a file itself says so
 * ({@link Addresses#STATE_FILE_WRITTEN}) and it is put in the map at once; the command line's changes
 * (another process) are found by a poll. A node that starts with no such files catches up from the cluster.
 *
 * <p>The newest version wins, by modification time: two different changes to one file on two nodes in
 * the same interval keep the later one only. The CA and the server certificate are not replicated
 * (they are provisioned on every node: a Kubernetes Secret).
 */
final class StateReplicator {
  static final List<String> FILES = List.of("tenants.json", "hosts.json");
  private static final String MAP = "portcullis.state";
  /** Published after a node put a newer file in the map: the others take it at once, not at their next poll. */
  static final String CHANGED = "portcullis.state.events.changed";
  private static final System.Logger log = System.getLogger(StateReplicator.class.getName());

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final Path stateDir;
  private AsyncMap<String, JsonObject> map;

  StateReplicator(Vertx vertx, Path stateDir) {
    this.vertx = vertx;
    this.stateDir = stateDir;
  }

  /**
   * Syncs once (the node catches up before it serves), then every {@code intervalMs} and whenever
   * another node says it put a newer file.
   */
  Future<Void> start(long intervalMs) {
    return vertx.sharedData().<String, JsonObject>getClusterWideMap(MAP).compose(m -> {
      map = m;
      io.vertx.core.Handler<io.vertx.core.eventbus.Message<String>> syncNow = msg -> {
        if (FILES.contains(msg.body())) {
          sync(msg.body()).onFailure(err -> log.log(System.Logger.Level.WARNING, "cannot sync {0}: {1}", msg.body(), err.getMessage()));
        }
      };
      return Future.join(vertx.eventBus().consumer(CHANGED, syncNow).completion(),
          vertx.eventBus().localConsumer(Addresses.STATE_FILE_WRITTEN, syncNow).completion()).mapEmpty();
    }).compose(v -> syncAll()).onSuccess(v -> vertx.setPeriodic(intervalMs, id -> syncAll()
        .onFailure(err -> log.log(System.Logger.Level.WARNING, "cannot sync the shared state: {0}", err.getMessage()))));
  }

  Future<Void> syncAll() {
    Future<Void> all = Future.succeededFuture();
    for (String name : FILES) {
      all = all.compose(v -> sync(name));
    }
    return all;
  }

  /** One file: the newer of this node's copy and the cluster's wins. */
  private Future<Void> sync(String name) {
    Path file = stateDir.resolve(name);
    return vertx.executeBlocking(() -> Files.exists(file)
            ? new JsonObject().put("content", Files.readString(file, StandardCharsets.UTF_8))
                .put("version", Files.getLastModifiedTime(file).toMillis())
            : null)
        .compose(local -> map.get(name).compose(shared -> {
          if (local != null && (shared == null || local.getLong("version") > shared.getLong("version", 0L))) {
            return local.getString("content").equals(shared == null ? null : shared.getString("content"))
                ? Future.succeededFuture()
                : map.put(name, local).onSuccess(v -> vertx.eventBus().publish(CHANGED, name));
          }
          if (shared != null && (local == null || shared.getLong("version", 0L) > local.getLong("version"))
              && !shared.getString("content").equals(local == null ? null : local.getString("content"))) {
            return vertx.executeBlocking(() -> {
              write(file, shared.getString("content"), shared.getLong("version"));
              return null;
            }).onSuccess(v -> vertx.eventBus().publish(Addresses.STATE_FILE_REPLACED, name, LOCAL)).mapEmpty();
          }
          return Future.succeededFuture();
        }));
  }

  /** Owner-only (hosts.json may hold TLS keys), atomically, with the cluster's version as its time. */
  private static void write(Path file, String content, long version) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".replica");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(tmp, FileTime.fromMillis(version));
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
