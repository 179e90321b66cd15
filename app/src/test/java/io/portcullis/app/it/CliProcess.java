package io.portcullis.app.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A long-running docker CLI process read line by line with bounded waits: stdout lines are queued by a
 * reader thread, so a test can wait for the next line, write to stdin, and wait for the exit.
 */
final class CliProcess implements AutoCloseable {
  private static final String END = "\u0000end";
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  final String name;

  private CliProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the process went away: its end is what the test looks at
      }
      lines.add(END);
    }, "cli-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  static CliProcess start(String name, DockerCli cli, String... args) throws IOException {
    return new CliProcess(name, cli.start(args));
  }

  /** The next stdout line within {@code timeout}; fails if the output ended or nothing came. */
  String nextLine(Duration timeout) throws InterruptedException {
    String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null || line.equals(END)) {
      throw new AssertionError(name + ": no line within " + timeout + (line == null ? "" : " (output ended)") + "; stderr: " + stderrIfEnded());
    }
    return line;
  }

  void writeLine(String text) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((text + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  void closeStdin() throws IOException {
    process.getOutputStream().close();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, waiting at most {@code timeout}; fails if the process is still running then. */
  int exitWithin(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " still running after " + timeout);
    }
    return process.exitValue();
  }

  String stderrIfEnded() {
    if (process.isAlive()) {
      return "(running)";
    }
    try {
      return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable)";
    }
  }

  Process process() {
    return process;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
