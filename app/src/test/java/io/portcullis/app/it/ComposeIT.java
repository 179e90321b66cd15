package io.portcullis.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another real Docker client: Debian's docker-compose (Python, docker-py) over mutual TLS. A project
 * with two services, a named volume and its default network, created under the tenant's own names,
 * two tenants running the same project name side by side.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ComposeIT {
  static final String COMPOSE = """
      version: "3.7"
      services:
        web:
          image: busybox:local
          command: sh -c "echo hello > /data/greeting; echo web-started; sleep 300"
          volumes: [shared:/data]
        worker:
          image: busybox:local
          command: sh -c "sleep 1; cat /data/greeting; ping -c 1 -W 2 web > /dev/null 2>&1 && echo resolved-web; sleep 300"
          volumes: [shared:/data]
      volumes:
        shared: {}
      """;
  static Gateway gateway;
  static Path bundleB;
  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws IOException {
    gateway = Gateway.shared();
    bundleB = Files.createTempDirectory("portcullis-it-compose").resolve("b");
    gateway.onboarding().addTenant("compose-b", io.portcullis.auth.ca.Role.TENANT, bundleB, io.portcullis.auth.ca.KeyType.EC);
  }

  @AfterEach
  void down() throws Exception {
    compose(gateway.tenantBundle, "down", "-v", "-t", "0");
    compose(bundleB, "down", "-v", "-t", "0");
  }

  @Test
  void aComposeProject_runsUnderTheTenantsNames_andTwoTenantsCanUseTheSameProjectName() throws Exception {
    Files.writeString(dir.resolve("docker-compose.yml"), COMPOSE);
    assertThat(compose(gateway.tenantBundle, "up", "-d")).startsWith("0:");
    assertThat(compose(bundleB, "up", "-d")).as("the same project, names and volume for another tenant").startsWith("0:");
    String ps = compose(gateway.tenantBundle, "ps");
    assertThat(ps).contains("itproj_web_1").contains("itproj_worker_1").contains("Up");
    String logs = "";
    for (int i = 0; i < 50 && !logs.contains("resolved-web"); i++) {
      Thread.sleep(200);
      logs = compose(gateway.tenantBundle, "logs", "--no-color", "worker");
    }
    assertThat(logs).contains("hello").contains("resolved-web");
    assertThat(compose(gateway.tenantBundle, "exec", "-T", "web", "cat", "/data/greeting")).isEqualTo("0:hello\n");
    assertThat(gateway.direct().run("ps", "--format", "{{.Names}}").ok().out())
        .contains("it.itproj_web_1", "compose-b.itproj_web_1");
    assertThat(gateway.direct().run("volume", "ls", "--format", "{{.Name}}").ok().out())
        .contains("it.itproj_shared", "compose-b.itproj_shared");
    assertThat(compose(gateway.tenantBundle, "down", "-v", "-t", "0")).startsWith("0:");
    assertThat(compose(bundleB, "ps")).contains("itproj_web_1").contains("Up");
    assertThat(gateway.direct().run("volume", "ls", "--format", "{{.Name}}").ok().out()).doesNotContain("it.itproj_shared");
  }

  /** Runs docker-compose as the tenant of {@code bundle}; returns "exit:output". */
  private String compose(Path bundle, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("docker-compose", "-p", "itproj"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(args[0].equals("up")
        || args[0].equals("down"));
    Map<String, String> env = pb.environment();
    env.put("DOCKER_HOST", "tcp://127.0.0.1:" + gateway.tlsPort);
    env.put("DOCKER_TLS_VERIFY", "1");
    env.put("DOCKER_CERT_PATH", bundle.toString());
    env.put("COMPOSE_INTERACTIVE_NO_CLI", "1");
    // docker-py 5 offers only TLS 1.2 unless told otherwise; the gateway speaks TLS 1.3 (see README).
    env.put("COMPOSE_TLS_VERSION", "TLS");
    // requests lets these override docker-py's own CA (the gateway's ca.pem); a CI machine may set them.
    env.remove("REQUESTS_CA_BUNDLE");
    env.remove("CURL_CA_BUNDLE");
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() + ":" + out;
  }
}
