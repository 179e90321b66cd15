package io.portcullis.registry.placement;

import static io.portcullis.registry.placement.ConstraintTest.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlacementTest {
  private final Placement spread = Placement.of("spread");
  private final Placement binpack = Placement.of("binpack");

  // --- fixtures -------------------------------------------------------------------------------------

  private static HostLoad host(String name, int containers) {
    return new HostLoad(name, Map.of(), true, containers, 0);
  }

  private static HostLoad host(String name, String labels, int containers) {
    return new HostLoad(name, labels(labels), true, containers, 0);
  }

  private static HostLoad full(String name, int capacity) {
    return new HostLoad(name, Map.of(), true, capacity, capacity);
  }

  private static HostLoad down(String name, int containers) {
    return new HostLoad(name, Map.of(), false, containers, 0);
  }

  /**
   * "name:containers/capacity[:down][:label=v;label=v]", comma separated: a host table on one line.
   * Capacity 0 is unlimited.
   */
  private static List<HostLoad> hosts(String spec) {
    List<HostLoad> hosts = new ArrayList<>();
    for (String one : spec.split(",")) {
      String[] parts = one.trim().split(":");
      String[] load = parts[1].split("/");
      boolean placeable = true;
      Map<String, String> labels = Map.of();
      for (int i = 2; i < parts.length; i++) {
        if (parts[i].equals("down")) {
          placeable = false;
        } else {
          labels = labels(parts[i]);
        }
      }
      hosts.add(new HostLoad(parts[0], labels, placeable, Integer.parseInt(load[0]), Integer.parseInt(load[1])));
    }
    return hosts;
  }

  /** A request built a fact at a time, so each test says only what it is about. */
  private static final class Req {
    private final Map<String, String> pool = new HashMap<>();
    private final List<Constraint> constraints = new ArrayList<>();
    private final Set<String> withImage = new LinkedHashSet<>();
    private final Set<String> pinned = new LinkedHashSet<>();

    Req pool(String labelSpec) {
      pool.putAll(labels(labelSpec));
      return this;
    }

    Req constraint(String... exprs) {
      Arrays.stream(exprs).map(Constraint::parse).forEach(constraints::add);
      return this;
    }

    Req image(String... hostNames) {
      withImage.addAll(List.of(hostNames));
      return this;
    }

    Req pinned(String... hostNames) {
      pinned.addAll(List.of(hostNames));
      return this;
    }

    PlacementRequest build() {
      return new PlacementRequest("acme", pool, constraints, withImage, pinned);
    }
  }

  private static Req req() {
    return new Req();
  }

  private static PlacementRequest any() {
    return req().build();
  }

  private static PlacementException refusal(Placement placement, List<HostLoad> hosts, PlacementRequest request) {
    try {
      String chosen = placement.place(hosts, request);
      throw new AssertionError("expected a refusal, got host " + chosen);
    } catch (PlacementException e) {
      return e;
    }
  }

  // --- strategy ---------------------------------------------------------------------------------------

  @Test
  void of_withoutAName_isSpread() {
    assertThat(Placement.of(null).strategy()).isEqualTo("spread");
    assertThat(Placement.of("").strategy()).isEqualTo("spread");
    assertThat(Placement.of("  ").strategy()).isEqualTo("spread");
    assertThat(Placement.of(" binpack ").strategy()).isEqualTo("binpack");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"random", "Spread", "BINPACK", "bin-pack", "spread,binpack"})
  void of_anUnknownStrategy_isRefusedByName(String name) {
    assertThatThrownBy(() -> Placement.of(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + name + "'")
        .hasMessageContaining("spread")
        .hasMessageContaining("binpack");
  }

  @ParameterizedTest(name = "{0} over [{1}] -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      spread  | a:3/0, b:1/0, c:2/0             | b
      spread  | a:0/0                           | a
      spread  | a:2/0, b:2/0, c:5/0             | a
      spread  | c:2/0, b:2/0, a:2/0             | a
      spread  | h10:1/0, h2:1/0                 | h10
      spread  | a:1/2, b:1/0                    | a
      spread  | a:0/1, b:5/10                   | a
      binpack | a:3/0, b:1/0, c:2/0             | a
      binpack | a:3/10, b:9/10, c:10/10         | b
      binpack | a:4/4, b:3/4, c:3/8             | b
      binpack | c:7/0, b:7/0, a:1/0             | b
      binpack | a:0/0, b:0/0                    | a
      binpack | a:12/10, b:1/10                 | b
      """)
  void strategies_orderTheHostsThatAreLeft(String strategy, String hostSpec, String expected) {
    assertThat(Placement.of(strategy).place(hosts(hostSpec), any())).isEqualTo(expected);
  }

  // --- placeable --------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} over [{1}] -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      spread  | a:0/0:down, b:5/0               | b
      spread  | a:0/0:down, b:5/0:down, c:9/0   | c
      binpack | a:9/0:down, b:1/0, c:2/0        | c
      """)
  void hostsDownOrDraining_takeNothingNew(String strategy, String hostSpec, String expected) {
    assertThat(Placement.of(strategy).place(hosts(hostSpec), any())).isEqualTo(expected);
  }

  @Test
  void noPlaceableHost_isA503() {
    PlacementException e = refusal(spread, List.of(down("a", 0), down("b", 0)), any());

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.reason()).isEqualTo("no backend host is available");
  }

  @Test
  void noHostAtAll_isA503() {
    PlacementException e = refusal(spread, List.of(), any());

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.reason()).isEqualTo("no backend host is available");
  }

  // --- pool -------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "pool [{0}] -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      pool=gold              | g2
      pool=silver            | s1
      pool=gold;zone=b       | g2
      pool=gold;zone=a       | g1
      ''                     | s1
      """)
  void pool_keepsOnlyHostsCarryingEveryPoolLabel(String pool, String expected) {
    List<HostLoad> hosts = hosts("g1:5/0:pool=gold;zone=a, g2:2/0:pool=gold;zone=b, g3:3/0:pool=gold;zone=b,"
        + " s1:0/0:pool=silver, x:0/0:pool=gold:down, none:1/0");

    assertThat(spread.place(hosts, req().pool(pool).build())).isEqualTo(expected);
  }

  @Test
  void pool_labelValuesMustMatchExactly() {
    List<HostLoad> hosts = List.of(host("a", "pool=Gold", 0), host("b", "pool=gold", 9), host("c", "pool=golden", 0));

    assertThat(spread.place(hosts, req().pool("pool=gold").build())).isEqualTo("b");
  }

  @Test
  void pool_withNoAvailableHost_namesThePoolLabels() {
    List<HostLoad> hosts = hosts("a:0/0:pool=silver, b:0/0:down:pool=gold;tier=1");

    PlacementException e = refusal(spread, hosts, req().pool("tier=1;pool=gold").build());

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.reason()).isEqualTo("no backend host in your pool (labels {pool=gold, tier=1}) is available");
  }

  // --- constraints ------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      node.labels.disk==ssd                   | b
      disk!=ssd                               | d
      disk!=ssd;disk==*                       | a
      disk==*                                 | a
      disk!=*                                 | d
      zone==eu-*                              | a
      node.hostname==c                        | c
      node.name!=a                            | d
      node==c                                 | c
      disk==ssd;zone==us-*                    | c
      disk==ssd;node.hostname!=b              | c
      """)
  void constraints_keepOnlyHostsSatisfyingEveryOne(String exprs, String expected) {
    List<HostLoad> hosts = hosts(
        "a:1/0:disk=hdd;zone=eu-west, b:2/0:disk=ssd;zone=eu-west, c:3/0:disk=ssd;zone=us-east, d:0/0:zone=us-east");

    assertThat(spread.place(hosts, req().constraint(exprs.split(";")).build())).isEqualTo(expected);
  }

  @Test
  void constraints_applyWithinThePoolOnly() {
    List<HostLoad> hosts = hosts("a:0/0:pool=silver;disk=ssd, b:5/0:pool=gold;disk=ssd, c:0/0:pool=gold;disk=hdd");

    assertThat(spread.place(hosts, req().pool("pool=gold").constraint("disk==ssd").build())).isEqualTo("b");
  }

  @Test
  void constraintNoHostSatisfies_isNamed() {
    List<HostLoad> hosts = hosts("a:0/0:disk=hdd, b:0/0, c:0/0:disk=ssd:down");

    PlacementException e = refusal(spread, hosts, req().constraint("zone!=x", "disk==ssd").build());

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.reason()).isEqualTo("no host satisfies constraint node.labels.disk==ssd");
  }

  @Test
  void constraintsEachSatisfiableButNotTogether_areAllNamed() {
    List<HostLoad> hosts = hosts("a:0/0:disk=ssd;zone=a, b:0/0:disk=hdd;zone=b");

    PlacementException e = refusal(spread, hosts, req().constraint("disk==ssd", "zone==b").build());

    assertThat(e.reason()).isEqualTo("no host satisfies the constraints node.labels.disk==ssd, node.labels.zone==b together");
  }

  @Test
  void constraintSatisfiedOnlyOutsideThePool_isStillUnsatisfiable() {
    List<HostLoad> hosts = hosts("a:0/0:pool=gold;disk=hdd, b:0/0:pool=silver;disk=ssd");

    PlacementException e = refusal(spread, hosts, req().pool("pool=gold").constraint("disk==ssd").build());

    assertThat(e.reason()).isEqualTo("no host satisfies constraint node.labels.disk==ssd");
  }

  // --- pinned hosts -----------------------------------------------------------------------------------

  @Test
  void pinnedHost_winsOverAnEmptierHost() {
    List<HostLoad> hosts = hosts("a:0/0, b:9/0, c:1/0");

    assertThat(spread.place(hosts, req().pinned("b").build())).isEqualTo("b");
    assertThat(binpack.place(hosts, req().pinned("a").build())).isEqualTo("a");
  }

  @Test
  void pinnedHost_winsOverImageAffinity() {
    List<HostLoad> hosts = hosts("a:0/0, b:9/0");

    assertThat(spread.place(hosts, req().pinned("b").image("a").build())).isEqualTo("b");
  }

  @Test
  void objectsOnDifferentHosts_isA409ListingThemInOrder() {
    List<HostLoad> hosts = hosts("h1:0/0, h2:0/0, h3:0/0");

    PlacementException e = refusal(spread, hosts, req().pinned("h3", "h1", "h2").build());

    assertThat(e.status()).isEqualTo(409);
    assertThat(e.reason()).isEqualTo("the volumes and networks this container uses are on different hosts: h1, h2, h3");
  }

  @Test
  void objectsOnDifferentHosts_isSaidEvenWhenNoHostIsAvailable() {
    // Waiting would not help, so the tenant hears the lasting reason, not "try later".
    List<HostLoad> hosts = hosts("h1:0/0:down, h2:0/0:down");

    PlacementException e = refusal(spread, hosts, req().pinned("h2", "h1").build());

    assertThat(e.status()).isEqualTo(409);
    assertThat(e.reason()).isEqualTo("the volumes and networks this container uses are on different hosts: h1, h2");
  }

  @ParameterizedTest(name = "pinned {0} -> {1} {2}")
  @CsvSource(delimiter = '|', textBlock = """
      gone | 503 | 'host gone, which holds the volumes and networks this container uses, is not available'
      down | 503 | 'host down, which holds the volumes and networks this container uses, is not available'
      out  | 409 | 'host out, which holds the volumes and networks this container uses, is not in your pool (labels {pool=gold})'
      hdd  | 409 | 'host hdd, which holds the volumes and networks this container uses, does not satisfy node.labels.disk==ssd'
      full | 503 | 'host full, which holds the volumes and networks this container uses, is full'
      """)
  void pinnedHostThatCannotTakeIt_saysWhy(String pinned, int status, String reason) {
    List<HostLoad> hosts = hosts("ok:0/0:pool=gold;disk=ssd, down:0/0:down:pool=gold;disk=ssd,"
        + " out:0/0:pool=silver;disk=ssd, hdd:0/0:pool=gold;disk=hdd, full:3/3:pool=gold;disk=ssd");

    PlacementException e = refusal(spread, hosts, req().pool("pool=gold").constraint("disk==ssd").pinned(pinned).build());

    assertThat(e.status()).isEqualTo(status);
    assertThat(e.reason()).isEqualTo(reason);
  }

  @Test
  void pinnedHostFailingSeveralConstraints_namesOnlyThoseItFails() {
    List<HostLoad> hosts = hosts("ok:0/0:disk=ssd;zone=a, h:0/0:disk=hdd;zone=a;gpu=yes");

    PlacementException e = refusal(spread, hosts, req().constraint("disk==ssd", "zone==a", "gpu!=*").pinned("h").build());

    assertThat(e.reason()).endsWith("does not satisfy node.labels.disk==ssd, node.labels.gpu!=*");
  }

  // --- capacity ---------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} over [{1}] -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      spread  | a:3/3, b:5/10                   | b
      spread  | a:4/3, b:5/10                   | b
      spread  | a:2/3, b:5/10                   | a
      spread  | a:100/0, b:5/5                  | a
      binpack | a:9/10, b:10/10, c:50/0         | c
      binpack | a:9/10, b:10/10                 | a
      """)
  void fullHosts_areSkipped_andCapacityZeroIsUnlimited(String strategy, String hostSpec, String expected) {
    assertThat(Placement.of(strategy).place(hosts(hostSpec), any())).isEqualTo(expected);
  }

  @Test
  void everyHostFull_isA503() {
    PlacementException e = refusal(binpack, List.of(full("a", 3), full("b", 10), down("c", 0)), any());

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.reason()).isEqualTo("every host in your pool is full");
  }

  @Test
  void everyHostSatisfyingTheConstraintsFull_saysSo() {
    List<HostLoad> hosts = hosts("a:2/2:disk=ssd, b:0/5:disk=hdd");

    PlacementException e = refusal(spread, hosts, req().constraint("disk==ssd").build());

    assertThat(e.reason()).isEqualTo("every host in your pool that satisfies node.labels.disk==ssd is full");
  }

  // --- image affinity ---------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}, image on [{2}] -> {3}")
  @CsvSource(delimiter = '|', textBlock = """
      spread  | a:0/0, b:5/0, c:9/0             | c        | c
      spread  | a:0/0, b:5/0, c:9/0             | b;c      | b
      binpack | a:0/0, b:5/0, c:9/0             | a;b      | b
      spread  | a:0/0, b:5/0, c:9/9             | c        | a
      spread  | a:0/0, b:5/0, c:1/0:down        | c        | a
      spread  | a:0/0, b:5/0                    | elsewhere | a
      spread  | a:0/0, b:5/0                    | ''       | a
      binpack | a:0/0, b:5/0                    | ''       | b
      """)
  void hostsWithTheImage_arePreferredWhenOneCanTakeIt(String strategy, String hostSpec, String image, String expected) {
    PlacementRequest request = req().image(image.isEmpty() ? new String[0] : image.split(";")).build();

    assertThat(Placement.of(strategy).place(hosts(hostSpec), request)).isEqualTo(expected);
  }

  @Test
  void imageOnAHostOutsideThePoolOrConstraints_isNoPreference() {
    List<HostLoad> hosts = hosts("a:0/0:pool=gold;disk=ssd, b:5/0:pool=gold;disk=ssd, c:0/0:pool=silver, d:0/0:pool=gold");

    PlacementRequest request = req().pool("pool=gold").constraint("disk==ssd").image("c", "d").build();

    assertThat(spread.place(hosts, request)).isEqualTo("a");
  }

  // --- the whole pipeline -----------------------------------------------------------------------------

  @Test
  void everyFilter_together() {
    List<HostLoad> hosts = hosts(String.join(",",
        "down:0/0:down:pool=gold;disk=ssd",     // not placeable
        "silver:0/0:pool=silver;disk=ssd",     // other pool
        "hdd:0/0:pool=gold;disk=hdd",          // fails the constraint
        "full:4/4:pool=gold;disk=ssd",         // no room, though it has the image
        "cold:1/0:pool=gold;disk=ssd",         // emptiest survivor, but no image
        "warm2:6/10:pool=gold;disk=ssd",       // has the image
        "warm1:3/10:pool=gold;disk=ssd"));     // has the image, emptier: spread's pick

    PlacementRequest request = req().pool("pool=gold").constraint("disk==ssd")
        .image("full", "warm1", "warm2", "silver").build();

    assertThat(spread.place(hosts, request)).isEqualTo("warm1");
    assertThat(binpack.place(hosts, request)).isEqualTo("warm2");
  }

  @Test
  void duplicateHostNames_areACallerBug() {
    assertThatThrownBy(() -> spread.place(List.of(host("a", 0), host("a", 1)), any()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host a appears twice");
  }

  // --- determinism and scale --------------------------------------------------------------------------

  @Test
  void sameFacts_sameHost_whateverTheOrderOfTheList() {
    List<HostLoad> hosts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      // Loads repeat every 4 hosts, so every strategy decision is a tie broken by name.
      hosts.add(new HostLoad("h" + i, Map.of("pool", i % 2 == 0 ? "gold" : "silver"), true, i % 4, 0));
    }
    PlacementRequest request = req().pool("pool=gold").build();
    Random random = new Random(42);

    for (int round = 0; round < 50; round++) {
      Collections.shuffle(hosts, random);
      assertThat(spread.place(hosts, request)).isEqualTo("h0");
      assertThat(binpack.place(hosts, request)).isEqualTo("h10"); // gold hosts with 2 containers: h10, h14, h18, h2...
    }
  }

  @Test
  void refusalText_isTheSameWhateverTheOrderOfTheInputs() {
    // Set.copyOf and Map.copyOf iterate in an unspecified order; the reasons must not show it.
    Set<String> reasons = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      List<String> pins = new ArrayList<>(List.of("e", "a", "d", "b", "c"));
      Collections.shuffle(pins, new Random(i));
      reasons.add(refusal(spread, List.of(host("a", 0)), req().pinned(pins.toArray(String[]::new)).build()).reason());
      reasons.add(refusal(spread, List.of(), req().pool("z=1;a=2;m=3;b=4").build()).reason());
    }

    assertThat(reasons).containsExactlyInAnyOrder(
        "the volumes and networks this container uses are on different hosts: a, b, c, d, e",
        "no backend host in your pool (labels {a=2, b=4, m=3, z=1}) is available");
  }

  @Test
  void aThousandHosts_theRightOneIsChosen() {
    List<HostLoad> hosts = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String name = String.format("host-%04d", i);
      Map<String, String> labels = Map.of(
          "pool", i % 3 == 0 ? "gold" : "silver",
          "disk", i % 2 == 0 ? "ssd" : "hdd",
          "zone", "zone-" + (i % 5));
      boolean placeable = i % 7 != 0;
      int capacity = 100;
      int containers = 10 + (i * 37) % 80; // 10..89, spread over the hosts
      if (i == 600) {
        containers = 3;  // gold, ssd, zone-0, not down: the emptiest match
      }
      if (i == 210) {
        containers = 1;  // emptier still, but i % 7 == 0: down
      }
      if (i == 690) {
        containers = 100; // full, would be binpack's pick otherwise
      }
      hosts.add(new HostLoad(name, labels, placeable, containers, capacity));
    }
    PlacementRequest request = req().pool("pool=gold").constraint("disk==ssd", "zone==zone-0").build();

    assertThat(spread.place(hosts, request)).isEqualTo(expectedByBruteForce(hosts, request, false));
    assertThat(spread.place(hosts, request)).isEqualTo("host-0600");
    assertThat(binpack.place(hosts, request)).isEqualTo(expectedByBruteForce(hosts, request, true));
    assertThat(binpack.place(hosts, request)).isNotEqualTo("host-0690");

    Collections.reverse(hosts);
    assertThat(spread.place(hosts, request)).isEqualTo("host-0600");
  }

  @Test
  void aThousandHosts_allFullButOne() {
    List<HostLoad> hosts = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      hosts.add(new HostLoad("h" + i, Map.of(), true, i == 777 ? 49 : 50, 50));
    }

    assertThat(spread.place(hosts, any())).isEqualTo("h777");
    assertThat(binpack.place(hosts, any())).isEqualTo("h777");
  }

  /** The rules written out again as plainly as possible, to cross-check the large table. */
  private static String expectedByBruteForce(List<HostLoad> hosts, PlacementRequest request, boolean mostFirst) {
    HostLoad best = null;
    for (HostLoad h : hosts) {
      boolean ok = h.placeable()
          && h.labels().entrySet().containsAll(request.poolLabels().entrySet())
          && request.constraints().stream().allMatch(c -> c.matches(h))
          && (h.capacity() == 0 || h.containers() < h.capacity());
      if (!ok) {
        continue;
      }
      if (best == null) {
        best = h;
        continue;
      }
      int byLoad = mostFirst ? Integer.compare(best.containers(), h.containers()) : Integer.compare(h.containers(), best.containers());
      if (byLoad < 0 || (byLoad == 0 && h.name().compareTo(best.name()) < 0)) {
        best = h;
      }
    }
    return best == null ? null : best.name();
  }
}
