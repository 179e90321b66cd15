package io.portcullis.gateway.observe;

import io.micrometer.core.instrument.Counter;
import io.portcullis.contracts.metrics.NodeMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;

/**
 * The audit log: one JSON line per call and per session open/close, written by a thread of its own so
 * that the event loops only hand a line over (never block on the disk). If the writer falls behind by
 * {@link AuditConfig#queueLines()} lines, further lines are dropped and counted
 * ({@code portcullis_audit_dropped_lines_total}) rather than slowing the tenants down.
 *
 * <p>To a file (rotated at {@code maxFileBytes}: {@code audit.log} → {@code audit.log.1} …, keeping
 * {@code maxFiles}) or to standard output. One writer per target per process, shared by the edge
 * verticle instances; closed when the last of them stops.
 */
public final class AuditLog {
  private static final System.Logger log = System.getLogger(AuditLog.class.getName());
  private static final Map<String, AuditLog> OPEN = new HashMap<>();
  private static final Counter dropped = Counter.builder("portcullis.audit.dropped.lines")
      .description("audit lines dropped because the writer fell behind").register(NodeMetrics.registry());
  private static final Counter written = Counter.builder("portcullis.audit.lines")
      .description("audit lines written").register(NodeMetrics.registry());
  private static final Supplier<String> STOP = () -> "";
  private static final long RETRY_MS = 1000;

  private final AuditConfig config;
  /** Lines to write, formatted by the writer thread (the event loops only capture the values). */
  private final BlockingQueue<Supplier<String>> queue;
  private final Thread writer;
  private int users;

  private AuditLog(AuditConfig config) {
    this.config = config;
    // Linked, not an array: a large bound costs nothing until lines are actually queued.
    this.queue = new LinkedBlockingQueue<>(config.queueLines());
    this.writer = new Thread(this::writeLoop, "portcullis-audit");
    writer.setDaemon(true);
  }

  /** The process's writer for this configuration (null when auditing is off). */
  public static synchronized AuditLog open(AuditConfig config) {
    if (!config.enabled()) {
      return null;
    }
    AuditLog audit = OPEN.computeIfAbsent(config.target() + '|' + config.file(), k -> {
      AuditLog created = new AuditLog(config);
      created.writer.start();
      return created;
    });
    audit.users++;
    return audit;
  }

  /** Hands a line over (formatted later, on the writer thread); never blocks. */
  void write(Supplier<String> line) {
    if (!queue.offer(line)) {
      dropped.increment();
    }
  }

  /** One user fewer; the last one's close writes what is queued and stops the writer. */
  public void close() {
    synchronized (AuditLog.class) {
      if (--users > 0) {
        return;
      }
      OPEN.values().remove(this);
    }
    try {
      // Bounded: a writer that cannot keep up (or a full queue) must not hold the node's stop.
      if (queue.offer(STOP, 5, TimeUnit.SECONDS)) {
        writer.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeLoop() {
    Output out = null;
    List<Supplier<String>> batch = new ArrayList<>(256);
    boolean stop = false;
    long failedUntil = 0;
    while (!stop) {
      try {
        batch.clear();
        batch.add(queue.take());
        queue.drainTo(batch, 255);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      int done = 0;
      try {
        for (Supplier<String> line : batch) {
          done++;
          if (line == STOP) {
            stop = true;
            continue;
          }
          if (System.currentTimeMillis() < failedUntil) {
            dropped.increment();
            continue;
          }
          if (out == null) {
            out = config.toStdout() ? Output.stdout() : Output.file(config.file());
          }
          out.write(line.get());
          written.increment();
        }
        if (out != null) {
          out.flush();
          if (!config.toStdout() && out.size() >= config.maxFileBytes()) {
            out.close();
            out = null;
            rotate(config.file(), config.maxFiles());
          }
        }
      } catch (IOException | RuntimeException e) {
        // A full disk, a removed directory: what was not written is counted as dropped, and lines are
        // dropped (counted) for a second before the file is opened again.
        dropped.increment(batch.size() - done + 1);
        log.log(System.Logger.Level.ERROR, "the audit log " + config.file() + " cannot be written: " + e.getMessage()
            + "; lines are dropped (portcullis_audit_dropped_lines_total) until it can");
        closeQuietly(out);
        out = null;
        failedUntil = System.currentTimeMillis() + RETRY_MS;
        stop = stop || batch.contains(STOP);
      }
    }
    closeQuietly(out);
  }

  private static void closeQuietly(Output out) {
    if (out != null) {
      try {
        out.close();
      } catch (IOException ignored) {
        // Nothing more to write it with.
      }
    }
  }

  /** audit.log.(n-1) → audit.log.n …, audit.log → audit.log.1; the oldest beyond maxFiles goes. */
  static void rotate(Path file, int maxFiles) throws IOException {
    Files.deleteIfExists(file.resolveSibling(file.getFileName() + "." + maxFiles));
    for (int i = maxFiles - 1; i >= 1; i--) {
      Path older = file.resolveSibling(file.getFileName() + "." + i);
      if (Files.exists(older)) {
        Files.move(older, file.resolveSibling(file.getFileName() + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (Files.exists(file)) {
      Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Where lines go, with the size written so far (for rotation). */
  private static final class Output {
    private final OutputStream stream;
    private final boolean closeable;
    private long size;

    private Output(OutputStream stream, boolean closeable, long size) {
      this.stream = stream;
      this.closeable = closeable;
      this.size = size;
    }

    static Output stdout() {
      PrintStream out = System.out;
      return new Output(out, false, 0);
    }

    static Output file(Path file) throws IOException {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      long existing = Files.exists(file) ? Files.size(file) : 0;
      return new Output(new java.io.BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE), 65536), true, existing);
    }

    void write(String line) throws IOException {
      byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
      stream.write(bytes);
      size += bytes.length;
    }

    long size() {
      return size;
    }

    void flush() throws IOException {
      stream.flush();
    }

    void close() throws IOException {
      if (closeable) {
        stream.close();
      } else {
        stream.flush();
      }
    }
  }

  /** The dropped-lines count (tests). */
  static double droppedSoFar() {
    return dropped.count();
  }
}
