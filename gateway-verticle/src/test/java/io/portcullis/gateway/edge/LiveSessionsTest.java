package io.portcullis.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LiveSessionsTest {
  @Test
  void endpoint_namesTheCall_notTheObject() {
    assertThat(LiveSessions.endpoint("POST", "/containers/web/attach", "web")).isEqualTo("POST /containers/{id}/attach");
    assertThat(LiveSessions.endpoint("POST", "/exec/4f2a/start", "4f2a")).isEqualTo("POST /exec/{id}/start");
    assertThat(LiveSessions.endpoint("POST", "/containers/a/attach", "a")).as("only the whole segment").isEqualTo("POST /containers/{id}/attach");
    assertThat(LiveSessions.endpoint("POST", "/session", null)).isEqualTo("POST /session");
  }
}
