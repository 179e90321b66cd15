package io.portcullis.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.BackendHost.HostState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostStoreTest {
  @TempDir
  Path dir;

  @Test
  void registrations_surviveANewStoreOnTheSameDirectory_withoutTheirHealth() throws Exception {
    HostStore store = new HostStore(dir);
    assertThat(store.load()).isEmpty();
    store.put(new BackendHost("h1", "tcp://10.0.0.1:2375", HostState.UP, Map.of("pool", "gold"), 20, false));
    store.put(BackendHost.of("h2", "unix:///run/docker.sock"));
    assertThat(store.setDraining("h1", true)).isNotNull();
    assertThat(store.setDraining("nope", true)).isNull();

    HostStore reopened = new HostStore(dir);
    assertThat(reopened.load()).containsExactly(
        new BackendHost("h1", "tcp://10.0.0.1:2375", HostState.UNKNOWN, Map.of("pool", "gold"), 20, true),
        BackendHost.of("h2", "unix:///run/docker.sock"));
    assertThat(Files.readString(dir.resolve("hosts.json"))).doesNotContain("state");
  }

  @Test
  void put_replacesByName_andRemoveForgets() throws Exception {
    HostStore store = new HostStore(dir);
    store.put(BackendHost.of("h1", "tcp://10.0.0.1:2375"));
    store.put(BackendHost.of("h1", "tcp://10.0.0.9:2375"));
    assertThat(store.load()).containsExactly(BackendHost.of("h1", "tcp://10.0.0.9:2375"));
    assertThat(store.remove("h1")).isTrue();
    assertThat(store.remove("h1")).isFalse();
    assertThat(store.load()).isEmpty();
  }

  @Test
  void changedSinceLoad_seesAnotherWriter() throws Exception {
    HostStore node = new HostStore(dir);
    node.load();
    assertThat(node.changedSinceLoad()).isFalse();
    Thread.sleep(20);
    new HostStore(dir).put(BackendHost.of("h3", "tcp://10.0.0.3:2375"));
    assertThat(node.changedSinceLoad()).isTrue();
    assertThat(node.load()).extracting(BackendHost::name).containsExactly("h3");
    assertThat(node.changedSinceLoad()).isFalse();
  }
}
