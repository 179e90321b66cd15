package io.portcullis.gateway.observe;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * The {@code audit} section.
 *
 * @param target {@code file}, {@code stdout} or {@code off}
 * @param file the log file when the target is a file ({@code audit.log} in the state directory unless set)
 * @param maxFileBytes size at which the file is rotated
 * @param maxFiles rotated files kept besides the current one
 * @param queueLines lines the writer may fall behind by before lines are dropped
 */
public record AuditConfig(String target, Path file, long maxFileBytes, int maxFiles, int queueLines) {

  public static AuditConfig fromJson(JsonObject audit, String stateDir) {
    String target = audit.getString("target", "file");
    if (!target.equals("file") && !target.equals("stdout") && !target.equals("off")) {
      throw new IllegalArgumentException("audit.target must be file, stdout or off, got \"" + target + "\"");
    }
    String file = audit.getString("file");
    Path path = file != null && !file.isBlank() ? Path.of(file)
        : Path.of(stateDir == null ? System.getProperty("user.home") + "/.portcullis" : stateDir).resolve("audit.log");
    return new AuditConfig(target, path, audit.getLong("maxFileBytes", 100L << 20),
        audit.getInteger("maxFiles", 5), audit.getInteger("queueLines", 65536));
  }

  boolean enabled() {
    return !target.equals("off");
  }

  boolean toStdout() {
    return target.equals("stdout");
  }
}
