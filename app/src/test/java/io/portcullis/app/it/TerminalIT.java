package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code docker run -it} and {@code docker exec -it} in a real terminal, through the gateway. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TerminalIT {
  static final String LABEL = "portcullis-it=terminal";
  static Gateway gateway;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    gateway = Gateway.shared();
  }

  @AfterAll
  static void cleanUp() {
    gateway.removeContainersLabelled(LABEL);
  }

  /** The same identity as {@link #docker()}, for setting up what the terminal then uses. */
  protected DockerCli cli() {
    return gateway.cli();
  }

  /** The docker command line, as a shell would run it. */
  protected String docker() {
    return "docker -H " + gateway.cli().host();
  }

  @Test
  void runInteractiveTty_showsPrompt_echoesInput_followsResize_andReturnsExitCode() throws Exception {
    try (Tmux term = Tmux.start(docker() + " run -it --rm --network none --label " + LABEL + " " + IMAGE + " sh", tmp)) {
      term.waitFor("/ #", 20_000);
      term.type("echo typed-$((40+2))");
      term.waitFor("typed-42", 10_000);
      term.type("stty size");
      term.waitFor("24 80", 10_000);
      term.resize(100, 30);
      Thread.sleep(500);
      term.type("stty size");
      term.waitFor("30 100", 10_000);
      term.type("exit 3");
      assertThat(term.awaitExitCode(20_000)).isEqualTo(3);
    }
  }

  @Test
  void execInteractiveTty_runsAShellInARunningContainer() throws Exception {
    String n = Gateway.uniqueName();
    DockerCli.Result run = cli().run("run", "-d", "--network", "none", "--label", LABEL, "--name", n, IMAGE, "sleep", "60");
    assertThat(run.exitCode()).as("%s", run).isZero();
    try (Tmux term = Tmux.start(docker() + " exec -it " + n + " sh", tmp)) {
      term.waitFor("/ #", 20_000);
      term.type("echo inside-$(hostname | cut -c1-4)");
      term.waitFor("inside-", 10_000);
      term.type("stty size");
      term.waitFor("24 80", 10_000);
      term.type("exit 4");
      assertThat(term.awaitExitCode(20_000)).isEqualTo(4);
    }
  }
}
