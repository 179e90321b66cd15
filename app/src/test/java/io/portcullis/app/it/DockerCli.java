package io.portcullis.app.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real docker CLI against a given endpoint, as a user would, with a bounded wait. */
final class DockerCli {
  private final String host;
  private final Map<String, String> env;

  DockerCli(String host) {
    this(host, Map.of());
  }

  DockerCli(String host, Map<String, String> env) {
    this.host = host;
    this.env = env;
  }

  String host() {
    return host;
  }

  record Result(int exitCode, byte[] stdout, String stderr) {
    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    /** Asserts that the command succeeded, showing its output if not. */
    Result ok() {
      org.assertj.core.api.Assertions.assertThat(exitCode).as("%s", this).isZero();
      return this;
    }

    @Override
    public String toString() {
      String o = out();
      return "exit " + exitCode + ", stdout " + (o.length() > 2000 ? o.substring(0, 2000) + "..." : o) + ", stderr " + stderr;
    }
  }

  Result run(String... args) {
    return run(null, null, Duration.ofSeconds(60), Map.of(), args);
  }

  Result runWithInput(byte[] stdin, String... args) {
    return run(stdin, null, Duration.ofSeconds(60), Map.of(), args);
  }

  Result runWithInputFile(Path stdin, Duration timeout, String... args) {
    return run(null, stdin, timeout, Map.of(), args);
  }

  Result run(byte[] stdin, Path stdinFile, Duration timeout, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.add("-H");
    command.add(host);
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("DOCKER_HOST");
    pb.environment().remove("DOCKER_CONTEXT");
    pb.environment().remove("DOCKER_TLS_VERIFY");
    pb.environment().remove("DOCKER_CERT_PATH");
    pb.environment().put("DOCKER_CONFIG", System.getProperty("java.io.tmpdir") + "/portcullis-it-docker-config");
    pb.environment().putAll(this.env);
    pb.environment().putAll(env);
    if (stdinFile != null) {
      pb.redirectInput(stdinFile.toFile());
    } else if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    try {
      Process p = pb.start();
      CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
      if (stdin != null) {
        try (OutputStream in = p.getOutputStream()) {
          in.write(stdin);
        } catch (IOException ignored) {
          // the process may exit before reading all of it; its exit code tells
        }
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("docker " + String.join(" ", args) + " did not finish in " + timeout
            + "; stderr so far: " + new String(err.getNow(new byte[0]), StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    } catch (IOException | InterruptedException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("running docker " + String.join(" ", args) + " failed", e);
    }
  }

  /** Starts a long-running docker command (logs -f, events) and returns the process. */
  Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("docker", "-H", host));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("DOCKER_HOST");
    pb.environment().put("DOCKER_CONFIG", System.getProperty("java.io.tmpdir") + "/portcullis-it-docker-config");
    pb.environment().putAll(env);
    return pb.start();
  }

  static byte[] readAll(InputStream in) {
    try (in) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toByteArray();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
