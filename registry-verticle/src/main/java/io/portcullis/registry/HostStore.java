package io.portcullis.registry;

import io.portcullis.contracts.BackendHost;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hosts registered at run time (over the event bus or with the command line), kept in
 * {@code hosts.json} in the state directory so that they survive a restart. Hosts declared in the
 * configuration file are not stored here: the file is their record. Every change is a read-modify-write
 * under a file lock (the command line and the node may both write) and an atomic rename.
 */
public final class HostStore {
  private static final ReentrantLock IN_PROCESS = new ReentrantLock();

  /** The file's name in the state directory (replicated across the cluster under this name). */
  public static final String FILE_NAME = "hosts.json";

  private final Path file;
  private final Path lockFile;
  private long loadedModified = -1;

  public HostStore(Path stateDir) {
    this.file = stateDir.resolve(FILE_NAME);
    this.lockFile = stateDir.resolve("hosts.lock");
  }

  /** The stored hosts, in registration order (health is not stored: every start checks anew). */
  public List<BackendHost> load() throws IOException {
    try {
      loadedModified = Files.getLastModifiedTime(file).toMillis();
      JsonArray array = new JsonObject(Files.readString(file, StandardCharsets.UTF_8)).getJsonArray("hosts", new JsonArray());
      List<BackendHost> hosts = new ArrayList<>();
      for (Object o : array) {
        hosts.add(BackendHost.fromJson((JsonObject) o).withState(BackendHost.HostState.UNKNOWN));
      }
      return hosts;
    } catch (NoSuchFileException e) {
      loadedModified = 0;
      return List.of();
    } catch (RuntimeException e) {
      throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether the file changed since the last {@link #load()} (another process wrote it). */
  public boolean changedSinceLoad() {
    try {
      return Files.getLastModifiedTime(file).toMillis() != loadedModified;
    } catch (IOException e) {
      return loadedModified > 0;
    }
  }

  /** Adds or replaces a host by name. */
  public BackendHost put(BackendHost host) throws IOException {
    return change(hosts -> {
      hosts.put(host.name(), host.withState(BackendHost.HostState.UNKNOWN));
      return host;
    });
  }

  /** Sets or clears a stored host's drain flag; null when no such host is stored. */
  public BackendHost setDraining(String name, boolean draining) throws IOException {
    return change(hosts -> {
      BackendHost host = hosts.get(name);
      if (host == null) {
        return null;
      }
      BackendHost changed = host.withDraining(draining);
      hosts.put(name, changed);
      return changed;
    });
  }

  /** Removes a stored host; whether it was there. */
  public boolean remove(String name) throws IOException {
    return change(hosts -> hosts.remove(name) != null);
  }

  private interface Change<T> {
    T apply(Map<String, BackendHost> hosts) throws IOException;
  }

  private <T> T change(Change<T> change) throws IOException {
    IN_PROCESS.lock();
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock ignored = channel.lock()) {
      Map<String, BackendHost> hosts = new LinkedHashMap<>();
      load().forEach(h -> hosts.put(h.name(), h));
      T result = change.apply(hosts);
      save(hosts.values());
      return result;
    } finally {
      IN_PROCESS.unlock();
    }
  }

  private void save(Iterable<BackendHost> hosts) throws IOException {
    JsonArray array = new JsonArray();
    for (BackendHost h : hosts) {
      JsonObject json = h.toJson();
      json.remove("state");
      array.add(json);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    // Owner-only: a host reached over mutual TLS has its client key in here.
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, new JsonObject().put("hosts", array).encodePrettily(), StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
