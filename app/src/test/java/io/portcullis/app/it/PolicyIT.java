package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.it.DockerCli.Result;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A tenant cannot create a container that reaches the host, and is told why; everyday use still works. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PolicyIT {
  static final String LABEL = "portcullis-it=policy";
  static Gateway gateway;
  static DockerCli docker;

  @BeforeAll
  static void start() {
    gateway = Gateway.shared();
    docker = gateway.tlsCli();
  }

  @AfterAll
  static void cleanUp() {
    gateway.removeContainersLabelled(LABEL);
    gateway.direct().run("volume", "rm", "-f", "it.portcullis-it-policy-data");
  }

  static List<List<String>> escapes() {
    return List.of(
        List.of("--privileged", "rule privileged"),
        List.of("-v", "/:/host", "rule host-bind-mounts"),
        List.of("--mount", "type=bind,src=/,dst=/h", "rule host-bind-mounts"),
        List.of("--pid", "host", "rule host-namespaces"),
        List.of("--cap-add", "SYS_ADMIN", "rule capabilities"),
        List.of("--device", "/dev/null:/dev/sda", "rule devices"),
        List.of("--security-opt", "seccomp=unconfined", "rule security-options"),
        List.of("--sysctl", "kernel.shmmax=1", "rule sysctls"),
        List.of("-p", "80:80", "rule host-ports"));
  }

  @ParameterizedTest
  @MethodSource("escapes")
  void dockerRun_withAnEscapingOption_isRefusedWithTheRule(List<String> optionAndRule) {
    List<String> args = new java.util.ArrayList<>(List.of("run", "--rm", "--network", "none", "--label", LABEL));
    args.addAll(optionAndRule.subList(0, optionAndRule.size() - 1));
    args.addAll(List.of(IMAGE, "true"));
    Result r = docker.run(args.toArray(new String[0]));
    assertThat(r.exitCode()).as("%s", r).isNotZero();
    assertThat(r.stderr()).contains(optionAndRule.get(optionAndRule.size() - 1)).contains("not allowed");
  }

  @Test
  void namedVolumes_andOrdinaryOptions_stillWork() {
    Result r = docker.run("run", "--rm", "--network", "none", "--label", LABEL, "-v", "portcullis-it-policy-data:/data",
        "--cap-add", "NET_BIND_SERVICE", "--tmpfs", "/run", IMAGE, "sh", "-c", "echo kept > /data/f && cat /data/f");
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.out()).isEqualTo("kept\n");
  }

  @Test
  void privilegedExec_isRefused_plainExecWorks() {
    String n = Gateway.uniqueName();
    docker.run("run", "-d", "--network", "none", "--label", LABEL, "--name", n, IMAGE, "sleep", "60").ok();
    Result refused = docker.run("exec", "--privileged", n, "true");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("privileged exec is not allowed");
    assertThat(docker.run("exec", n, "echo", "fine").ok().out()).isEqualTo("fine\n");
  }

  @Test
  void pruningTheBuildCache_deletesNothing_itIsEveryTenantsOnTheHost_andSystemPruneWorks() {
    Result r = docker.run("builder", "prune", "-f");
    assertThat(r.ok().out()).contains("Total reclaimed space: 0B");
    assertThat(docker.run("system", "prune", "-f").ok().out()).contains("Total reclaimed space");
  }

  @Test
  void anUnlistedCall_isRefusedNamingIt() throws Exception {
    try (RawConnection c = new RawConnection(gateway.port)) {
      String head = c.send("POST /v1.41/containers/x/copy HTTP/1.1\r\nHost: gw\r\nContent-Length: 0\r\n\r\n").readHead();
      assertThat(head).startsWith("HTTP/1.1 403");
      assertThat(new String(c.readToEnd(), java.nio.charset.StandardCharsets.UTF_8)).contains("POST /containers/x/copy");
    }
  }

  @Test
  void aVolumeBindingAHostPath_isRefusedAtCreate() {
    Result r = docker.run("volume", "create", "--opt", "type=none", "--opt", "o=bind", "--opt", "device=/etc", "portcullis-it-policy-etc");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("rule host-bind-mounts");
    assertThat(gateway.direct().run("volume", "inspect", "it.portcullis-it-policy-etc").exitCode()).as("nothing was created").isNotZero();
  }
}
