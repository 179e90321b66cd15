package io.portcullis.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar started as the StatefulSet starts it, with a configuration an operator got wrong:
 * it exits 1 at once with the one line naming the key, no stack trace, and creates nothing in the
 * state directory. Needs no Docker daemon.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InvalidConfigurationIT {
  @TempDir
  Path tmp;

  @Test
  void aPortThatIsNotANumber_stopsStartUpNamingTheKey() throws Exception {
    Result r = start("{\"edge\": {\"tlsPort\": \"abc\"}}", Map.of());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.lines()).containsExactly(
        "portcullis: invalid configuration: edge.tlsPort must be a port number 0-65535 (or -1 for off), got \"abc\"");
    assertThat(tmp.resolve("state")).as("nothing created").isEmptyDirectory();
  }

  @Test
  void aMistypedKey_stopsStartUpWithTheNearestKnownOne() throws Exception {
    Result r = start("{\"edge\": {\"tlsprot\": 2376}}", Map.of());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.lines()).containsExactly("portcullis: invalid configuration: unknown key edge.tlsprot (did you mean edge.tlsPort?)");
  }

  @Test
  void aBadEnvironmentVariable_stopsStartUpNamingIt() throws Exception {
    Result r = start("{}", Map.of("PORTCULLIS_PLACEMENT_STRATEGY", "fill"));

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.lines()).containsExactly("portcullis: invalid configuration: registry.placement.strategy (from "
        + "PORTCULLIS_PLACEMENT_STRATEGY) must be one of spread, binpack, got \"fill\"");
  }

  record Result(int exitCode, List<String> lines) {}

  /** {@code java -jar portcullis.jar --config FILE --state DIR}, as k8s/statefulset.yaml runs it. */
  private Result start(String config, Map<String, String> env) throws Exception {
    Path file = tmp.resolve("bad.json");
    Files.writeString(file, config);
    Path state = Files.createDirectories(tmp.resolve("state"));
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", System.getenv("PORTCULLIS_JAR"), "--config", file.toString(),
        "--state", state.toString()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("PORTCULLIS_") && !k.equals("PORTCULLIS_JAR"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits on its own").isTrue();
    return new Result(p.exitValue(), out.lines().filter(l -> !l.isBlank()).toList());
  }
}
