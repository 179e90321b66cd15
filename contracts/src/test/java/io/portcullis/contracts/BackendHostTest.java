package io.portcullis.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.contracts.BackendHost.HostState;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BackendHostTest {

  @ParameterizedTest(name = "accepted: {0}")
  @ValueSource(strings = {
      "unix:///var/run/docker.sock",
      "unix:///run/user/1000/docker.sock",
      "tcp://127.0.0.1:2375",
      "tcp://docker.example.com:2376",
      "tcp://10.0.0.5",
      "tcp://[::1]:2375"})
  void validUris_areAccepted(String uri) {
    assertThatCode(() -> BackendHost.of("h", uri)).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "refused: {0}")
  @ValueSource(strings = {"unix://", "unix://relative/docker.sock", "unix://docker.sock"})
  void unixUriWithoutAnAbsolutePath_isRefused(String uri) {
    assertThatThrownBy(() -> BackendHost.of("h", uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(uri)
        .hasMessageContaining("absolute socket path");
  }

  @ParameterizedTest(name = "refused: {0}")
  @ValueSource(strings = {"tcp://", "tcp://:2375", "tcp://bad host:2375", "tcp://%zz:1"})
  void tcpUriWithoutAValidHost_isRefused(String uri) {
    assertThatThrownBy(() -> BackendHost.of("h", uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(uri)
        .hasMessageContaining("tcp://host:port");
  }

  @ParameterizedTest(name = "refused: {0}")
  @ValueSource(strings = {"http://127.0.0.1:2375", "ssh://me@host", "npipe:////./pipe/docker_engine", "/var/run/docker.sock", "", "TCP://127.0.0.1:2375"})
  void otherSchemes_areRefused(String uri) {
    assertThatThrownBy(() -> BackendHost.of("h", uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must start with unix:// or tcp://");
  }

  @Test
  void nullNameOrUri_isRefused() {
    assertThatThrownBy(() -> BackendHost.of(null, "tcp://127.0.0.1:2375")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> BackendHost.of("h", null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void missingState_isUnknown() {
    assertThat(new BackendHost("h", "tcp://127.0.0.1:2375", null).state()).isEqualTo(HostState.UNKNOWN);
    assertThat(BackendHost.of("h", "tcp://127.0.0.1:2375").state()).isEqualTo(HostState.UNKNOWN);
  }

  @Test
  void withState_keepsNameAndUri() {
    BackendHost up = BackendHost.of("h", "tcp://127.0.0.1:2375").withState(HostState.UP);

    assertThat(up).isEqualTo(new BackendHost("h", "tcp://127.0.0.1:2375", HostState.UP));
  }

  @Test
  void toJson_usesLowerCaseWireStates() {
    JsonObject json = new BackendHost("h", "unix:///var/run/docker.sock", HostState.DOWN).toJson();

    assertThat(json).isEqualTo(new JsonObject()
        .put("name", "h").put("uri", "unix:///var/run/docker.sock").put("state", "down")
        .put("labels", new JsonObject()).put("capacity", 0).put("draining", false));
  }

  @Test
  void labelsCapacityAndDraining_roundTrip_andOldMessagesWithoutThemStillRead() {
    BackendHost host = new BackendHost("h1", "tcp://10.0.0.5:2375", HostState.UP, java.util.Map.of("pool", "gold", "disk", "ssd"), 50, true);
    assertThat(BackendHost.fromJson(host.toJson())).isEqualTo(host);
    assertThat(host.placeable()).as("draining").isFalse();
    assertThat(host.withDraining(false).placeable()).isTrue();
    assertThat(host.withDraining(false).withState(HostState.DOWN).placeable()).isFalse();
    BackendHost old = BackendHost.fromJson(new JsonObject().put("name", "h").put("uri", "unix:///x.sock"));
    assertThat(old.labels()).isEmpty();
    assertThat(old.capacity()).isZero();
    assertThat(old.draining()).isFalse();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "{\"name\":\"h\",\"uri\":\"unix:///x\",\"labels\":[\"a\"]}",
      "{\"name\":\"h\",\"uri\":\"unix:///x\",\"capacity\":-1}",
      "{\"name\":\"h\",\"uri\":\"unix:///x\",\"capacity\":1.5}",
      "{\"name\":\"h\",\"uri\":\"unix:///x\",\"draining\":\"yes\"}",
      "{\"name\":\"bad name\",\"uri\":\"unix:///x\"}"})
  void invalidRegistrations_areRefusedWithAMessage(String json) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> BackendHost.fromJson(new JsonObject(json)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backend host");
  }

  @ParameterizedTest(name = "round trip in state {0}")
  @CsvSource({"UNKNOWN", "UP", "DOWN"})
  void jsonRoundTrip_preservesEveryField(HostState state) {
    BackendHost host = new BackendHost("edge-1", "tcp://10.0.0.5:2376", state);

    BackendHost back = BackendHost.fromJson(new JsonObject(host.toJson().encode()));

    assertThat(back).isEqualTo(host);
  }

  @Test
  void fromJson_withoutState_isUnknown() {
    BackendHost host = BackendHost.fromJson(new JsonObject().put("name", "h").put("uri", "tcp://127.0.0.1:2375"));

    assertThat(host.state()).isEqualTo(HostState.UNKNOWN);
  }

  @Test
  void fromJson_acceptsUpperCaseState() {
    BackendHost host = BackendHost.fromJson(new JsonObject()
        .put("name", "h").put("uri", "tcp://127.0.0.1:2375").put("state", "UP"));

    assertThat(host.state()).isEqualTo(HostState.UP);
  }

  @Test
  void fromJson_validatesTheUri() {
    assertThatThrownBy(() -> BackendHost.fromJson(new JsonObject().put("name", "h").put("uri", "http://x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fromJson_refusesAnUnknownState() {
    assertThatThrownBy(() -> BackendHost.fromJson(new JsonObject()
        .put("name", "h").put("uri", "tcp://127.0.0.1:2375").put("state", "sideways")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unixHost_sendsHostDocker_andExposesItsSocketPath() {
    BackendHost host = BackendHost.of("local", "unix:///var/run/docker.sock");

    assertThat(host.isUnixSocket()).isTrue();
    assertThat(host.socketPath()).isEqualTo("/var/run/docker.sock");
    assertThat(host.hostHeader()).isEqualTo("docker");
  }

  @ParameterizedTest(name = "{0} -> Host: {1}")
  @CsvSource({
      "tcp://127.0.0.1:2375,          127.0.0.1:2375,          127.0.0.1,          2375",
      "tcp://docker.example.com:2376, docker.example.com:2376, docker.example.com, 2376",
      "tcp://10.0.0.5,                10.0.0.5:2375,           10.0.0.5,           2375",
      "tcp://[::1]:2380,              '[::1]:2380',            '::1',              2380",
      "tcp://docker_dind:2375,        docker_dind:2375,        docker_dind,        2375",
  })
  void tcpHost_sendsHostAndPort_defaulting2375(String uri, String hostHeader, String host, int port) {
    BackendHost backend = BackendHost.of("remote", uri);

    assertThat(backend.isUnixSocket()).isFalse();
    assertThat(backend.tcpHost()).isEqualTo(host);
    assertThat(backend.tcpPort()).isEqualTo(port);
    assertThat(backend.hostHeader()).isEqualTo(hostHeader);
  }

  @Test
  void wireNames_areLowerCase() {
    assertThat(HostState.UP.wireName()).isEqualTo("up");
    assertThat(HostState.DOWN.wireName()).isEqualTo("down");
    assertThat(HostState.UNKNOWN.wireName()).isEqualTo("unknown");
  }
}
