package io.portcullis.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.it.DockerCli.Result;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A gateway whose only backend does not exist still starts, and says so to every call. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BackendUnavailableIT {
  static Gateway gateway;

  @BeforeAll
  static void start() {
    gateway = Gateway.start("unix:///tmp/portcullis-it-no-such-daemon.sock");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void registeredHost_isReportedDown() {
    assertThat(gateway.node.hosts()).singleElement()
        .satisfies(h -> assertThat(h.state().wireName()).isEqualTo("down"));
  }

  @Test
  void dockerPs_fails_withA503NamingTheMissingBackend() {
    Result r = gateway.cli().run("ps");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("backend host local is unavailable").as("where it is stays the operator's")
        .doesNotContain("/tmp/portcullis-it-no-such-daemon.sock");
  }

  @Test
  void rawCall_gets503WithDockersJsonShape() throws Exception {
    try (RawConnection c = new RawConnection(gateway.port)) {
      String head = c.send("GET /v1.41/containers/json HTTP/1.1\r\nHost: gw\r\n\r\n").readHead();
      assertThat(head).startsWith("HTTP/1.1 503");
      assertThat(RawConnection.header(head, "Content-Type")).isEqualTo("application/json");
      String body = new String(c.readToEnd(), StandardCharsets.UTF_8);
      assertThat(new io.vertx.core.json.JsonObject(body).getString("message")).contains("is unavailable");
    }
  }
}
