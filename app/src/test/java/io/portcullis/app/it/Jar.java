package io.portcullis.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged jar's command line ({@code PORTCULLIS_JAR}), run as an operator runs it. */
final class Jar {
  private Jar() {}

  /** Runs {@code java -jar portcullis.jar --state STATE ARGS...}; returns what it printed. */
  static String run(Path state, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-jar", System.getenv("PORTCULLIS_JAR"), "--state", state.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}
