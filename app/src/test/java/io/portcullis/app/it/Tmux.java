package io.portcullis.app.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real terminal for interactive docker commands: a detached tmux session on its own server socket. */
final class Tmux implements AutoCloseable {
  private final String server;
  private final Path exitFile;

  private Tmux(String server, Path exitFile) {
    this.server = server;
    this.exitFile = exitFile;
  }

  /** Runs {@code shellCommand} in an 80x24 terminal; its exit code is written to a file when it ends. */
  static Tmux start(String shellCommand, Path dir) throws Exception {
    String server = "portcullis-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    Path exitFile = dir.resolve("exit-code");
    String wrapped = "env -u DOCKER_HOST -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH " + shellCommand + "; echo $? > " + exitFile + "; sleep 30";
    tmux(server, "new-session", "-d", "-s", "it", "-x", "80", "-y", "24", wrapped);
    return new Tmux(server, exitFile);
  }

  String screen() throws Exception {
    return tmux(server, "capture-pane", "-p", "-t", "it");
  }

  /** Waits until the screen shows {@code text}, failing with the screen if it does not within the time. */
  void waitFor(String text, long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    String screen = "";
    while (System.currentTimeMillis() < deadline) {
      screen = screen();
      if (screen.contains(text)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("terminal did not show '" + text + "' in " + timeoutMs + " ms; screen:\n" + screen);
  }

  void type(String line) throws Exception {
    tmux(server, "send-keys", "-t", "it", "-l", line);
    tmux(server, "send-keys", "-t", "it", "Enter");
  }

  void resize(int columns, int rows) throws Exception {
    tmux(server, "resize-window", "-t", "it", "-x", String.valueOf(columns), "-y", String.valueOf(rows));
  }

  /** The exit code of the command, once it has ended. */
  int awaitExitCode(long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(exitFile)) {
        String s = Files.readString(exitFile).trim();
        if (!s.isEmpty()) {
          return Integer.parseInt(s);
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("terminal command did not end in " + timeoutMs + " ms; screen:\n" + screen());
  }

  @Override
  public void close() throws Exception {
    tmux(server, "kill-server");
  }

  private static String tmux(String server, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("tmux", "-L", server));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
