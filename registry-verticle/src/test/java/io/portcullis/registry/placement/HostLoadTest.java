package io.portcullis.registry.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The two input records: validation and defensive copies. */
class HostLoadTest {

  @ParameterizedTest(name = "{0}/{1} -> {2}")
  @CsvSource({"0, 0, true", "500, 0, true", "0, 1, true", "9, 10, true", "10, 10, false", "11, 10, false"})
  void hasRoom_belowCapacity_orWithoutOne(int containers, int capacity, boolean expected) {
    assertThat(new HostLoad("h", Map.of(), true, containers, capacity).hasRoom()).isEqualTo(expected);
  }

  @Test
  void hostLoad_refusesImpossibleValues() {
    assertThatThrownBy(() -> new HostLoad("h", Map.of(), true, -1, 0)).hasMessageContaining("host h");
    assertThatThrownBy(() -> new HostLoad("h", Map.of(), true, 0, -1)).hasMessageContaining("host h");
    assertThatThrownBy(() -> new HostLoad(" ", Map.of(), true, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HostLoad(null, Map.of(), true, 0, 0)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void hostLoad_keepsItsOwnCopyOfTheLabels() {
    Map<String, String> labels = new HashMap<>(Map.of("pool", "gold"));
    HostLoad host = new HostLoad("h", labels, true, 0, 0);

    labels.put("pool", "silver");

    assertThat(host.labels()).containsExactly(Map.entry("pool", "gold"));
    assertThat(new HostLoad("h", null, true, 0, 0).labels()).isEmpty();
  }

  @Test
  void request_treatsNullAsNone_andKeepsItsOwnCopies() {
    PlacementRequest empty = new PlacementRequest("acme", null, null, null, null);
    assertThat(empty.poolLabels()).isEmpty();
    assertThat(empty.constraints()).isEmpty();
    assertThat(empty.hostsWithImage()).isEmpty();
    assertThat(empty.pinnedHosts()).isEmpty();

    List<Constraint> constraints = new ArrayList<>(List.of(Constraint.parse("disk==ssd")));
    Set<String> pinned = new HashSet<>(Set.of("h1"));
    PlacementRequest request = new PlacementRequest("acme", Map.of(), constraints, Set.of(), pinned);
    constraints.add(Constraint.parse("zone==a"));
    pinned.add("h2");

    assertThat(request.constraints()).containsExactly(Constraint.parse("disk==ssd"));
    assertThat(request.pinnedHosts()).containsExactly("h1");
  }

  @Test
  void request_needsATenant() {
    assertThatThrownBy(() -> new PlacementRequest(null, null, null, null, null)).isInstanceOf(NullPointerException.class);
  }
}
