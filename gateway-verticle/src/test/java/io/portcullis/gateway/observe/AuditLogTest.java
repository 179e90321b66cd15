package io.portcullis.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

  @org.junit.jupiter.api.BeforeAll
  static void countForReal() {
    // Without a registry behind Micrometer's global one, counters count nothing.
    io.micrometer.core.instrument.Metrics.addRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  private static AuditConfig config(Path file, long maxBytes) {
    return new AuditConfig("file", file, maxBytes, 2, 1000);
  }

  private static void awaitLines(Path file, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(file) || Files.readAllLines(file).size() < count) {
      assertThat(System.nanoTime()).as("%d lines in %s", count, file).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void linesAreWritten_inOrder_andCloseWritesWhatIsQueued(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("audit.log");
    AuditLog audit = AuditLog.open(config(file, 1 << 20));
    for (int i = 0; i < 100; i++) {
      int n = i;
      audit.write(() -> new JsonObject().put("n", n).encode());
    }
    audit.close();
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(100);
    assertThat(new JsonObject(lines.get(99)).getInteger("n")).isEqualTo(99);
  }

  @Test
  void aFullFile_isRotated_keepingMaxFiles(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("audit.log");
    AuditLog audit = AuditLog.open(config(file, 1024));
    String line = "x".repeat(600);
    for (int i = 0; i < 8; i++) {
      audit.write(() -> line);
      // One batch per line, so each crosses the size check on its own.
      Thread.sleep(50);
    }
    audit.close();
    assertThat(dir.resolve("audit.log.1")).exists();
    assertThat(dir.resolve("audit.log.2")).exists();
    assertThat(dir.resolve("audit.log.3")).as("only maxFiles rotated files kept").doesNotExist();
  }

  @Test
  void anUnwritableFile_dropsLines_countsThem_andRecoversWhenWritableAgain(@TempDir Path dir) throws Exception {
    // A directory where the file should be: every open fails until it is gone.
    Path file = dir.resolve("audit.log");
    Files.createDirectories(file);
    AuditLog audit = AuditLog.open(config(file, 1 << 20));
    double droppedBefore = AuditLog.droppedSoFar();
    audit.write(() -> "lost");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (AuditLog.droppedSoFar() <= droppedBefore) {
      assertThat(System.nanoTime()).as("the lost line counted as dropped").isLessThan(deadline);
      Thread.sleep(20);
    }
    Files.delete(file);
    // After the back-off, lines are written again.
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.isRegularFile(file) || Files.readAllLines(file).isEmpty()) {
      audit.write(() -> "again");
      assertThat(System.nanoTime()).as("writing resumes").isLessThan(deadline);
      Thread.sleep(200);
    }
    long start = System.nanoTime();
    audit.close();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("close is bounded").isLessThan(6000);
    assertThat(Files.readAllLines(file)).contains("again").doesNotContain("lost");
  }
}
