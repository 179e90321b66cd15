package io.portcullis.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HopByHopHeadersTest {

  private static HttpHeaders headers(String... namesAndValues) {
    HttpHeaders headers = new DefaultHttpHeaders();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  @Test
  void headersNamedInConnection_areRemovedWithConnectionItself() {
    HttpHeaders h = headers(
        "Connection", "close, X-Session-Secret",
        "X-Session-Secret", "s3cr3t",
        "X-Kept", "yes",
        "Content-Type", "application/json");

    HopByHopHeaders.strip(h, false);

    assertThat(h.contains("X-Session-Secret")).isFalse();
    assertThat(h.contains("Connection")).isFalse();
    assertThat(h.get("X-Kept")).isEqualTo("yes");
    assertThat(h.get("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void connectionTokens_areMatchedCaseInsensitivelyAndAcrossRepeatedHeaders() {
    HttpHeaders h = headers(
        "Connection", "keep-alive",
        "connection", "X-FIRST ,,x-second",
        "x-first", "1",
        "X-Second", "2",
        "X-Third", "3");

    HopByHopHeaders.strip(h, false);

    assertThat(h.contains("X-First")).isFalse();
    assertThat(h.contains("X-Second")).isFalse();
    assertThat(h.contains("Connection")).isFalse();
    assertThat(h.get("X-Third")).isEqualTo("3");
  }

  @ParameterizedTest(name = "{0} is always removed")
  @ValueSource(strings = {"Keep-Alive", "TE", "Trailer", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization"})
  void alwaysHopByHopHeaders_areRemovedEvenWhenNotNamedInConnection(String name) {
    HttpHeaders h = headers(name, "some-value", "User-Agent", "Docker-Client/27.0");

    HopByHopHeaders.strip(h, true);

    assertThat(h.contains(name)).isFalse();
    assertThat(h.get("User-Agent")).isEqualTo("Docker-Client/27.0");
  }

  @Test
  void framingAndHostHeaders_surviveBeingNamedInConnection() {
    HttpHeaders h = headers(
        "Connection", "Content-Length, Transfer-Encoding, Host, X-Gone",
        "Content-Length", "42",
        "Transfer-Encoding", "chunked",
        "Host", "docker",
        "X-Gone", "bye");

    HopByHopHeaders.strip(h, false);

    assertThat(h.get("Content-Length")).isEqualTo("42");
    assertThat(h.get("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(h.get("Host")).isEqualTo("docker");
    assertThat(h.contains("X-Gone")).isFalse();
    assertThat(h.contains("Connection")).isFalse();
  }

  @Test
  void framingHeaders_namedInConnectionInAnyCase_survive() {
    HttpHeaders h = headers(
        "Connection", "CONTENT-LENGTH,host",
        "Content-Length", "7",
        "Host", "docker");

    HopByHopHeaders.strip(h, true);

    assertThat(h.get("Content-Length")).isEqualTo("7");
    assertThat(h.get("Host")).isEqualTo("docker");
  }

  @Test
  void upgradeOnAHijackableCall_isKeptWithConnectionUpgrade() {
    HttpHeaders h = headers(
        "Connection", "Upgrade",
        "Upgrade", "tcp",
        "Content-Type", "text/plain");

    HopByHopHeaders.strip(h, true);

    assertThat(h.get("Upgrade")).isEqualTo("tcp");
    assertThat(h.getAll("Connection")).containsExactly("Upgrade");
    assertThat(h.get("Content-Type")).isEqualTo("text/plain");
  }

  @Test
  void upgradeOnAHijackableCall_dropsTheOtherConnectionTokens() {
    HttpHeaders h = headers(
        "Connection", "keep-alive, Upgrade, X-Private",
        "Upgrade", "h2c",
        "Keep-Alive", "timeout=5",
        "X-Private", "p");

    HopByHopHeaders.strip(h, true);

    assertThat(h.get("Upgrade")).isEqualTo("h2c");
    assertThat(h.getAll("Connection")).containsExactly("Upgrade");
    assertThat(h.contains("Keep-Alive")).isFalse();
    assertThat(h.contains("X-Private")).isFalse();
  }

  @Test
  void upgradeOnACallThatMayNotHijack_isRemoved() {
    HttpHeaders h = headers(
        "Connection", "Upgrade",
        "Upgrade", "tcp");

    HopByHopHeaders.strip(h, false);

    assertThat(h.contains("Upgrade")).isFalse();
    assertThat(h.contains("Connection")).isFalse();
  }

  @Test
  void upgradeNotNamedInConnection_isStillRemovedWhenHijackNotAllowed() {
    HttpHeaders h = headers("Upgrade", "tcp");

    HopByHopHeaders.strip(h, false);

    assertThat(h.contains("Upgrade")).isFalse();
  }

  @Test
  void hijackableCallWithoutUpgrade_getsNoConnectionHeader() {
    HttpHeaders h = headers(
        "Connection", "Upgrade, keep-alive",
        "Content-Type", "application/vnd.docker.raw-stream");

    HopByHopHeaders.strip(h, true);

    assertThat(h.contains("Connection")).isFalse();
    assertThat(h.contains("Upgrade")).isFalse();
    assertThat(h.get("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
  }

  @Test
  void endToEndHeaders_areLeftUntouched() {
    HttpHeaders h = headers(
        "Content-Type", "application/json",
        "Content-Length", "2",
        "Host", "docker",
        "User-Agent", "Docker-Client/27.0",
        "X-Registry-Auth", "e30=");

    HopByHopHeaders.strip(h, false);

    assertThat(h.names()).containsExactlyInAnyOrder("Content-Type", "Content-Length", "Host", "User-Agent", "X-Registry-Auth");
    assertThat(h.get("X-Registry-Auth")).isEqualTo("e30=");
  }

  @Test
  void upgradeNotNamedInConnection_isDropped_evenOnAHijackCall() {
    HttpHeaders headers = new DefaultHttpHeaders().set("Upgrade", "tcp").set("Connection", "keep-alive");
    HopByHopHeaders.strip(headers, true);
    assertThat(headers.contains("Upgrade")).isFalse();
    assertThat(headers.contains("Connection")).isFalse();
  }
}
