package io.portcullis.auth.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Tenants and revoked certificate serials, kept in {@code tenants.json} in the state directory and
 * rewritten atomically on every change, so that nothing is lost across restarts. Other processes (the
 * command line) may change the file; {@link #reloadIfChanged()} picks their changes up.
 */
public final class TenantStore {
  private static final java.util.concurrent.locks.ReentrantLock IN_PROCESS = new java.util.concurrent.locks.ReentrantLock();
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  /**
   * A registered tenant, the public keys it registered and the serials (hex) of the certificates issued to
   * it (recorded since the admin API lists them; older certificates are not listed but work the same).
   */
  public record TenantRecord(String name, String role, String created, List<KeyRecord> keys, List<String> serials) {
    public TenantRecord {
      keys = List.copyOf(keys);
      serials = serials == null ? List.of() : List.copyOf(serials);
    }

    JsonObject toJson() {
      JsonArray k = new JsonArray();
      keys.forEach(key -> k.add(key.toJson()));
      return new JsonObject().put("role", role).put("created", created).put("keys", k).put("serials", new JsonArray(serials));
    }

    TenantRecord withKeys(List<KeyRecord> newKeys) {
      return new TenantRecord(name, role, created, newKeys, serials);
    }

    TenantRecord withSerial(String serial) {
      List<String> more = new ArrayList<>(serials);
      more.add(serial);
      return new TenantRecord(name, role, created, keys, more);
    }
  }

  /** A registered public key: its SubjectPublicKeyInfo (base64 DER), SHA-256 fingerprint and comment. */
  public record KeyRecord(String fingerprint, String spki, String comment, String added) {
    JsonObject toJson() {
      return new JsonObject().put("fingerprint", fingerprint).put("spki", spki).put("comment", comment).put("added", added);
    }

    static KeyRecord fromJson(JsonObject json) {
      return new KeyRecord(json.getString("fingerprint"), json.getString("spki"), json.getString("comment", ""), json.getString("added", ""));
    }
  }

  private final Path file;
  private Map<String, TenantRecord> tenants = new LinkedHashMap<>();
  private Set<String> revokedSerials = new TreeSet<>();
  private FileTime loadedVersion;
  private long loads;

  private TenantStore(Path file) {
    this.file = file;
  }

  /** The file's name in the state directory (replicated across the cluster under this name). */
  public static final String FILE_NAME = "tenants.json";

  public static Path path(Path stateDir) {
    return stateDir.resolve(FILE_NAME);
  }

  public static TenantStore open(Path stateDir) throws IOException {
    TenantStore store = new TenantStore(path(stateDir));
    // A missing file is an empty store, not written until something changes: a new empty file would be
    // the newest copy of the cluster's tenants and replace the real ones on every node (StateReplicator).
    if (Files.exists(store.file)) {
      store.load();
    }
    return store;
  }

  public static void validateName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("tenant names are 1-63 characters of a-z, 0-9, '_', '-', starting with a letter or digit (no '.': it separates a tenant from its object names on the backends): " + name);
    }
  }

  public synchronized Map<String, TenantRecord> tenants() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(tenants));
  }

  public synchronized TenantRecord tenant(String name) {
    return tenants.get(name);
  }

  public synchronized boolean isRevoked(String serialHex) {
    return revokedSerials.contains(normalizeSerial(serialHex));
  }

  /**
   * One spelling per serial: lower-case hex without leading zeros, as {@code BigInteger.toString(16)}
   * gives it. {@code openssl x509 -serial} prints whole bytes ({@code 0F3A...}); both mean the same.
   */
  public static String normalizeSerial(String serialHex) {
    if (serialHex == null || !serialHex.matches("(0x)?[0-9a-fA-F:]{1,200}")) {
      throw new IllegalArgumentException("a certificate serial is hexadecimal: " + serialHex);
    }
    return new java.math.BigInteger(serialHex.replace("0x", "").replace(":", ""), 16).toString(16);
  }

  public synchronized Set<String> revokedSerials() {
    return Collections.unmodifiableSet(new TreeSet<>(revokedSerials));
  }

  public synchronized TenantRecord addTenant(String name, String role) throws IOException {
    validateName(name);
    return underLock(() -> {
      TenantRecord existing = tenants.get(name);
      if (existing != null) {
        return existing;
      }
      TenantRecord record = new TenantRecord(name, role, Instant.now().toString(), List.of(), List.of());
      tenants.put(name, record);
      save();
      return record;
    });
  }

  /** Removes a tenant: every certificate naming it is refused from then on. */
  public synchronized boolean removeTenant(String name) throws IOException {
    return underLock(() -> {
      boolean removed = tenants.remove(name) != null;
      if (removed) {
        save();
      }
      return removed;
    });
  }

  /** Notes that a certificate with this serial (hex) was issued to the tenant, for the admin API's list. */
  public synchronized void recordSerial(String tenant, String serialHex) throws IOException {
    String serial = normalizeSerial(serialHex);
    underLock(() -> {
      TenantRecord record = tenants.get(tenant);
      if (record != null && !record.serials().contains(serial)) {
        tenants.put(tenant, record.withSerial(serial));
        save();
      }
      return null;
    });
  }

  /** Registers a public key for a tenant; a key belongs to one tenant only. */
  public synchronized KeyRecord addKey(String tenant, KeyRecord key) throws IOException {
    return underLock(() -> addKeyLocked(tenant, key));
  }

  private KeyRecord addKeyLocked(String tenant, KeyRecord key) throws IOException {
    TenantRecord record = tenants.get(tenant);
    if (record == null) {
      throw new IllegalArgumentException("tenant " + tenant + " is not registered; add it first");
    }
    TenantRecord owner = ownerOfKey(key.fingerprint());
    if (owner != null) {
      if (owner.name().equals(tenant)) {
        return key;
      }
      throw new IllegalArgumentException("this key is already registered for another tenant");
    }
    List<KeyRecord> keys = new ArrayList<>(record.keys());
    keys.add(key);
    tenants.put(tenant, record.withKeys(keys));
    save();
    return key;
  }

  /** Removes a tenant's key by fingerprint (or a unique prefix of it); returns whether one was removed. */
  public synchronized boolean removeKey(String tenant, String fingerprintPrefix) throws IOException {
    return underLock(() -> removeKeyLocked(tenant, fingerprintPrefix));
  }

  private boolean removeKeyLocked(String tenant, String fingerprintPrefix) throws IOException {
    TenantRecord record = tenants.get(tenant);
    if (record == null || fingerprintPrefix.length() < 8) {
      return false;
    }
    List<KeyRecord> keys = new ArrayList<>(record.keys());
    boolean removed = keys.removeIf(k -> k.fingerprint().startsWith(fingerprintPrefix.toLowerCase(Locale.ROOT)));
    if (removed) {
      tenants.put(tenant, record.withKeys(keys));
      save();
    }
    return removed;
  }

  /** The tenant that registered the key with this fingerprint, or null. */
  public synchronized TenantRecord ownerOfKey(String fingerprint) {
    for (TenantRecord t : tenants.values()) {
      for (KeyRecord k : t.keys()) {
        if (k.fingerprint().equals(fingerprint)) {
          return t;
        }
      }
    }
    return null;
  }

  public synchronized void revoke(String serialHex) throws IOException {
    String serial = normalizeSerial(serialHex);
    underLock(() -> {
      if (revokedSerials.add(serial)) {
        save();
      }
      return null;
    });
  }

  /**
   * Counts the loads of a changed file, whoever triggered them, so that the verticle can tell that the
   * state changed even when a certificate check re-read the file before its timer did.
   */
  public synchronized long loads() {
    return loads;
  }

  /** Re-reads the file if another process changed it; returns whether anything was reloaded. */
  public synchronized boolean reloadIfChanged() throws IOException {
    if (!Files.exists(file)) {
      return false;
    }
    FileTime version = Files.getLastModifiedTime(file);
    if (version.equals(loadedVersion)) {
      return false;
    }
    load();
    return true;
  }

  private void load() throws IOException {
    FileTime version = Files.getLastModifiedTime(file);
    JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    Map<String, TenantRecord> loaded = new LinkedHashMap<>();
    JsonObject t = json.getJsonObject("tenants", new JsonObject());
    for (String name : t.fieldNames()) {
      JsonObject r = t.getJsonObject(name);
      List<KeyRecord> keys = new ArrayList<>();
      r.getJsonArray("keys", new JsonArray()).forEach(k -> keys.add(KeyRecord.fromJson((JsonObject) k)));
      List<String> serials = r.getJsonArray("serials", new JsonArray()).stream().map(Object::toString).toList();
      loaded.put(name, new TenantRecord(name, r.getString("role", "tenant"), r.getString("created", ""), keys, serials));
    }
    Set<String> revoked = new TreeSet<>();
    json.getJsonArray("revokedSerials", new JsonArray()).forEach(s -> revoked.add(normalizeSerial(s.toString())));
    tenants = loaded;
    revokedSerials = revoked;
    loadedVersion = version;
    loads++;
  }

  /** One change of the store's state; it saves what it changed. */
  @FunctionalInterface
  private interface Change<T> {
    T apply() throws IOException;
  }

  /** Runs a change under the cross-process lock, on the file as it is now (another process may have written it). */
  private <T> T underLock(Change<T> change) throws IOException {
    try (FileLock lock = lock()) {
      reloadIfChanged();
      return change.apply();
    }
  }

  /**
   * Serialises read-modify-write across processes (two command lines, or one and the gateway), so that
   * no change overwrites another. Released with the returned lock.
   */
  private FileLock lock() throws IOException {
    // A file lock excludes other processes; this excludes other stores of the same file in this JVM.
    IN_PROCESS.lock();
    Path lockFile = file.toAbsolutePath().getParent().resolve("tenants.lock");
    Files.createDirectories(lockFile.getParent());
    FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      return new ClosingLock(channel, channel.lock());
    } catch (IOException | RuntimeException e) {
      channel.close();
      IN_PROCESS.unlock();
      throw e;
    }
  }

  /** A file lock that also closes its channel. */
  private static final class ClosingLock extends FileLock {
    private final FileLock lock;

    ClosingLock(FileChannel channel, FileLock lock) {
      super(channel, lock.position(), lock.size(), lock.isShared());
      this.lock = lock;
    }

    @Override
    public boolean isValid() {
      return lock.isValid();
    }

    @Override
    public void release() throws IOException {
      try {
        lock.release();
      } finally {
        channel().close();
        IN_PROCESS.unlock();
      }
    }
  }

  private void save() throws IOException {
    JsonObject t = new JsonObject();
    tenants.values().forEach(r -> t.put(r.name(), r.toJson()));
    JsonObject json = new JsonObject().put("tenants", t).put("revokedSerials", new JsonArray(revokedSerials.stream().toList()));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tenants-", ".json",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, json.encodePrettily(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    loadedVersion = Files.getLastModifiedTime(file);
  }
}
