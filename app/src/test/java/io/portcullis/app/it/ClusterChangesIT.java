package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.auth.Onboarding;
import io.portcullis.auth.ca.KeyType;
import io.portcullis.auth.ca.Role;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three node processes, each on a state directory of its own (only the CA and server certificate
 * provisioned on B and C): a change made through one node is in effect on another within one second —
 * a host registered through B's admin API takes a placement made through C, a drain through A stops
 * placements through C, a certificate revoked on A's directory is refused by C.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterChangesIT {
  /** What the issue promises for a change made on one node to be visible on every node. */
  private static final long VISIBLE_WITHIN_MS = 1000;

  /** Polls until {@code condition} holds (15 s at most); returns how long it took in milliseconds. */
  private static long millisUntil(String what, BooleanSupplier condition) throws Exception {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(20);
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static JsonObject host(AdminCurl admin, Path bundle, String name) {
    try {
      AdminCurl.Answer list = admin.call(bundle, "GET", "/admin/hosts", null);
      return list.status() != 200 ? null : new JsonObject(list.body()).getJsonArray("hosts").stream()
          .map(JsonObject.class::cast).filter(h -> h.getString("name").equals(name)).findFirst().orElse(null);
    } catch (Exception e) {
      return null;
    }
  }

  @Test
  void aChangeThroughOneNode_isInEffectOnTheOthers_withinOneSecond() throws Exception {
    Path work = Files.createTempDirectory("portcullis-changes");
    Path stateA = work.resolve("a");
    Onboarding onboarding = new Onboarding(stateA);
    onboarding.init(List.of("localhost"), List.of("127.0.0.1"));
    String tenant = "chg-" + UUID.randomUUID().toString().substring(0, 6);
    Path bundle = work.resolve("bundles").resolve(tenant);
    onboarding.addTenant(tenant, Role.TENANT, bundle, KeyType.EC);
    String revoked = tenant + "r";
    Path revokedBundle = work.resolve("bundles").resolve(revoked);
    String serial = onboarding.addTenant(revoked, Role.TENANT, revokedBundle, KeyType.EC);
    Path ops = work.resolve("bundles").resolve("ops");
    onboarding.addTenant("ops", Role.ADMIN, ops, KeyType.EC);
    List<Path> states = List.of(stateA, ClusterFixtures.provisionedFrom(stateA), ClusterFixtures.provisionedFrom(stateA));

    Path daemon = work.resolve("h2");
    String h2 = MultiHostIT.startDaemon(daemon);
    List<ClusterFixtures.JarNode> nodes = new ArrayList<>();
    try {
      nodes.addAll(ClusterFixtures.startJarNodes(states, "portcullis-changes-" + UUID.randomUUID().toString().substring(0, 6), true));
      List<DockerCli> via = new ArrayList<>();
      List<AdminCurl> admin = new ArrayList<>();
      for (ClusterFixtures.JarNode node : nodes) {
        via.add(new DockerCli("tcp://127.0.0.1:" + node.tlsPort(), Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", bundle.toString())));
        admin.add(new AdminCurl(ops.resolve("ca.pem"), node.adminPort()));
      }
      ClusterFixtures.awaitServing(nodes, via);
      DockerCli revokedViaC = new DockerCli("tcp://127.0.0.1:" + nodes.get(2).tlsPort(),
          Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", revokedBundle.toString()));
      assertThat(revokedViaC.run("version").exitCode()).as("the second tenant is served before its revocation").isZero();

      // A host registered through B's admin API ...
      AdminCurl.Answer put = admin.get(1).call(ops, "PUT", "/admin/hosts/h2",
          new JsonObject().put("uri", h2).put("labels", new JsonObject().put("zone", "new")).encode());
      assertThat(put.status()).as(put.body()).isEqualTo(200);
      long seen = millisUntil("h2 in C's own registry", () -> host(admin.get(2), ops, "h2") != null);
      assertThat(seen).as("ms until a host registered through B is in C's registry").isLessThan(VISIBLE_WITHIN_MS);
      // ... takes a placement made through C (only h2 carries the label).
      millisUntil("h2 up on C", () -> "up".equals(host(admin.get(2), ops, "h2").getString("state")));
      via.get(2).run("run", "-d", "--name", "placed", "--network", "none", "-e", "constraint:zone==new", IMAGE, "sleep", "120").ok();
      assertThat(new DockerCli(h2).run("ps", "--format", "{{.Names}}").ok().out())
          .as("the container placed through C runs on the host registered through B").contains(tenant + ".placed");
      assertThat(via.get(0).run("logs", "placed").exitCode()).as("and is reached through A").isZero();

      // A drain through A: C places nothing more there.
      assertThat(admin.get(0).call(ops, "POST", "/admin/hosts/h2/drain", null).status()).isEqualTo(200);
      long drained = millisUntil("h2 draining on C", () -> host(admin.get(2), ops, "h2").getBoolean("draining", false));
      assertThat(drained).as("ms until a drain through A is seen by C").isLessThan(VISIBLE_WITHIN_MS);
      DockerCli.Result refused = via.get(2).run("create", "--network", "none", "-e", "constraint:zone==new", IMAGE, "true");
      assertThat(refused.exitCode()).isNotZero();
      assertThat(refused.stderr()).contains("no host satisfies constraint");

      // A certificate revoked on A's directory (as the command line does): refused by C.
      onboarding.revokeSerial(serial);
      long refusedAfter = millisUntil("the revoked certificate refused by C", () -> revokedViaC.run("version").exitCode() != 0);
      assertThat(refusedAfter).as("ms until a revocation on A's directory is refused by C").isLessThan(VISIBLE_WITHIN_MS);
      assertThat(revokedViaC.run("version").stderr()).contains("revoked");
      System.out.printf("ClusterChangesIT: host registered on B seen by C after %d ms, drain on A after %d ms, revocation on A refused by C after %d ms%n",
          seen, drained, refusedAfter);
      assertThat(via.get(2).run("rm", "-f", "placed").exitCode()).isZero();
    } finally {
      ClusterFixtures.stopAll(nodes);
      new ProcessBuilder("bash", MultiHostIT.SCRIPTS.resolve("dockerd-stop.sh").toString(), daemon.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
      MultiHostIT.stopContainerd(daemon);
    }
  }
}
