package io.portcullis.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.BackendHost.HostState;
import io.portcullis.contracts.RouteRequest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostTableTest {
  private static final RouteRequest CALL = new RouteRequest("local", "containers.list");

  private final HostTable table = new HostTable();

  private static BackendHost host(String name) {
    return BackendHost.of(name, "unix:///run/" + name + ".sock");
  }

  @Test
  void hosts_areListedInRegistrationOrder() {
    table.register(host("c"));
    table.register(host("a"));
    table.register(host("b"));

    assertThat(table.all()).extracting(BackendHost::name).containsExactly("c", "a", "b");
  }

  @Test
  void reRegistration_keepsThePositionOfTheHost() {
    table.register(host("a"));
    table.register(host("b"));
    table.register(BackendHost.of("a", "tcp://10.0.0.9:2375"));

    assertThat(table.all()).extracting(BackendHost::name).containsExactly("a", "b");
    assertThat(table.all().get(0).uri()).isEqualTo("tcp://10.0.0.9:2375");
  }

  @Test
  void register_returnsTheStoredHost() {
    BackendHost stored = table.register(host("a"));

    assertThat(stored).isEqualTo(host("a"));
    assertThat(stored.state()).isEqualTo(HostState.UNKNOWN);
  }

  @Test
  void reRegistrationWithTheSameUri_keepsTheKnownState() {
    table.register(host("a"));
    table.updateState("a", HostState.UP);

    BackendHost stored = table.register(host("a")); // arrives as UNKNOWN

    assertThat(stored.state()).isEqualTo(HostState.UP);
    assertThat(table.all()).containsExactly(host("a").withState(HostState.UP));
  }

  @Test
  void reRegistrationWithANewUri_forgetsTheOldState() {
    table.register(host("a"));
    table.updateState("a", HostState.DOWN);

    BackendHost stored = table.register(BackendHost.of("a", "tcp://127.0.0.1:2375"));

    assertThat(stored.state()).isEqualTo(HostState.UNKNOWN);
    assertThat(table.all()).containsExactly(BackendHost.of("a", "tcp://127.0.0.1:2375"));
  }

  @Test
  void updateState_returnsTheHostOnlyWhenTheStateChanged() {
    table.register(host("a"));

    Optional<BackendHost> up = table.updateState("a", HostState.UP);
    Optional<BackendHost> upAgain = table.updateState("a", HostState.UP);
    Optional<BackendHost> down = table.updateState("a", HostState.DOWN);

    assertThat(up).contains(host("a").withState(HostState.UP));
    assertThat(upAgain).isEmpty();
    assertThat(down).contains(host("a").withState(HostState.DOWN));
    assertThat(table.all()).containsExactly(host("a").withState(HostState.DOWN));
  }

  @Test
  void updateState_ofTheCurrentUnknownState_isNoChange() {
    table.register(host("a"));

    assertThat(table.updateState("a", HostState.UNKNOWN)).isEmpty();
  }

  @Test
  void updateState_ofAnUnregisteredHost_isIgnored() {
    table.register(host("a"));

    assertThat(table.updateState("ghost", HostState.UP)).isEmpty();
    assertThat(table.all()).extracting(BackendHost::name).containsExactly("a");
  }

  @Test
  void all_returnsACopy() {
    table.register(host("a"));

    table.all().clear();

    assertThat(table.all()).hasSize(1);
  }

  @Test
  void route_picksTheFirstHostThatIsNotDown() {
    table.register(host("a"));
    table.register(host("b"));
    table.register(host("c"));
    table.updateState("a", HostState.DOWN);
    table.updateState("b", HostState.UP);
    table.updateState("c", HostState.UP);

    assertThat(table.route(CALL).host().name()).isEqualTo("b");
  }

  @Test
  void route_treatsUnknownHostsAsWorthTrying() {
    table.register(host("a"));
    table.register(host("b"));
    table.updateState("a", HostState.DOWN);

    assertThat(table.route(CALL).host()).isEqualTo(host("b"));
  }

  @Test
  void route_prefersTheFirstRegisteredHostWhenAllAreUp() {
    table.register(host("a"));
    table.register(host("b"));
    table.updateState("a", HostState.UP);
    table.updateState("b", HostState.UP);

    assertThat(table.route(CALL).host().name()).isEqualTo("a");
  }

  @Test
  void route_fallsBackToTheFirstHostWhenAllAreDown() {
    table.register(host("a"));
    table.register(host("b"));
    table.updateState("a", HostState.DOWN);
    table.updateState("b", HostState.DOWN);

    assertThat(table.route(CALL).host()).isEqualTo(host("a").withState(HostState.DOWN));
  }

  @Test
  void route_followsAHostThatComesBack() {
    table.register(host("a"));
    table.register(host("b"));
    table.updateState("a", HostState.DOWN);
    assertThat(table.route(CALL).host().name()).isEqualTo("b");

    table.updateState("a", HostState.UP);

    assertThat(table.route(CALL).host().name()).isEqualTo("a");
  }

  @Test
  void route_staysInTheTenantsPool_andNamesTheWholePool() {
    table.register(new BackendHost("a", "unix:///a.sock", HostState.UP, java.util.Map.of("tier", "bronze"), 0, false));
    table.register(new BackendHost("b", "unix:///b.sock", HostState.DOWN, java.util.Map.of("tier", "gold"), 0, false));
    table.register(new BackendHost("c", "unix:///c.sock", HostState.UP, java.util.Map.of("tier", "gold", "disk", "ssd"), 0, false));
    table.updateState("b", HostState.DOWN);
    table.updateState("c", HostState.UP);

    var gold = table.route(CALL, java.util.Map.of("tier", "gold"));

    assertThat(gold.host().name()).as("the first of the pool that is not down").isEqualTo("c");
    assertThat(gold.hosts()).extracting(BackendHost::name).containsExactly("b", "c");
    assertThat(gold.multiHost()).isTrue();
    assertThat(table.route(CALL, java.util.Map.of()).hosts()).hasSize(3);
    assertThat(table.route(CALL, java.util.Map.of("tier", "gold", "disk", "ssd")).multiHost()).isFalse();
    assertThatThrownBy(() -> table.route(CALL, java.util.Map.of("tier", "platinum")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503))
        .hasMessageContaining("no backend Docker host is in your pool (labels {tier=platinum})");
  }

  @Test
  void route_withNoHosts_isA503() {
    assertThatThrownBy(() -> table.route(CALL))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503))
        .hasMessageContaining("no backend Docker host");
  }

  @org.junit.jupiter.api.Test
  void anUpHost_turnsDownOnlyAfterTheConfiguredFailuresInARow_andASuccessResetsTheCount() {
    HostTable table = new HostTable();
    table.register(io.portcullis.contracts.BackendHost.of("h1", "unix:///x.sock"));
    assertThat(table.recordCheck("h1", io.portcullis.contracts.BackendHost.HostState.UP, 3)).isPresent();
    assertThat(table.recordCheck("h1", io.portcullis.contracts.BackendHost.HostState.DOWN, 3)).isEmpty();
    assertThat(table.recordCheck("h1", io.portcullis.contracts.BackendHost.HostState.DOWN, 3)).isEmpty();
    assertThat(table.recordCheck("h1", io.portcullis.contracts.BackendHost.HostState.UP, 3)).as("no change, count reset").isEmpty();
    assertThat(table.recordCheck("h1", io.portcullis.contracts.BackendHost.HostState.DOWN, 3)).isEmpty();
    assertThat(table.recordCheck("h1", io.portcullis.contracts.BackendHost.HostState.DOWN, 3)).isEmpty();
    assertThat(table.recordCheck("h1", io.portcullis.contracts.BackendHost.HostState.DOWN, 3))
        .hasValueSatisfying(h -> assertThat(h.state()).isEqualTo(io.portcullis.contracts.BackendHost.HostState.DOWN));
    assertThat(table.recordCheck("h1", io.portcullis.contracts.BackendHost.HostState.UP, 3)).as("back up at once").isPresent();
  }

  @org.junit.jupiter.api.Test
  void aNewHost_isDownAtItsFirstFailedCheck_drainingAndRemovalAreReported() {
    HostTable table = new HostTable();
    table.register(io.portcullis.contracts.BackendHost.of("h1", "unix:///x.sock"));
    assertThat(table.recordCheck("h1", io.portcullis.contracts.BackendHost.HostState.DOWN, 3)).isPresent();
    assertThat(table.setDraining("h1", true)).hasValueSatisfying(h -> assertThat(h.draining()).isTrue());
    assertThat(table.setDraining("h1", true)).isEmpty();
    assertThat(table.remove("h1")).isPresent();
    assertThat(table.remove("h1")).isEmpty();
    assertThat(table.all()).isEmpty();
  }
}
