package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.auth.Onboarding;
import io.portcullis.auth.ca.KeyType;
import io.portcullis.auth.ca.Role;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three node processes of one cluster on loopback (the packaged jar; two share a state directory,
 * one has its own, replicated).
 * One is killed with SIGKILL while a tenant follows logs through another and has an exec session
 * open through the killed one: the stream through the survivor runs to its end, the survivors serve
 * new calls at once, and the killed node's session ends on the client's side. Restarted, the node
 * rejoins and serves the tenant's objects again.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NodeKilledIT {

  @Test
  void killNineOfOneNode_leavesTheOthersServing_itsSessionEnds_andItRejoins() throws Exception {
    Path state = Files.createTempDirectory("portcullis-kill");
    Onboarding onboarding = new Onboarding(state);
    onboarding.init(List.of("localhost"), List.of("127.0.0.1"));
    String tenant = "kill-" + UUID.randomUUID().toString().substring(0, 6);
    Path bundle = state.resolve("bundles").resolve(tenant);
    onboarding.addTenant(tenant, Role.TENANT, bundle, KeyType.EC);
    int[] tls = {Gateway.freePort(), Gateway.freePort(), Gateway.freePort()};
    int[] clusterPorts = {Gateway.freePort(), Gateway.freePort(), Gateway.freePort()};
    String members = "127.0.0.1:" + clusterPorts[0] + ",127.0.0.1:" + clusterPorts[1] + ",127.0.0.1:" + clusterPorts[2];
    String cluster = "portcullis-kill-" + tls[0];
    List<Process> nodes = new ArrayList<>();
    // The tenant may have 3 containers (a quota every node enforces).
    Path policy = state.resolve("policy.json");
    Files.writeString(policy, new io.vertx.core.json.JsonObject().put("policy", new io.vertx.core.json.JsonObject().put("tenants",
        new io.vertx.core.json.JsonObject().put(tenant, new io.vertx.core.json.JsonObject().put("quotas",
            new io.vertx.core.json.JsonObject().put("maxContainers", 3))))).encode());
    // Nodes 0 and 2 share one state directory; node 1 has its own (only the CA and server certificate
    // provisioned), kept the same through the cluster.
    Path own = ClusterFixtures.provisionedFrom(state);
    java.util.function.IntFunction<Process> starter = i -> {
      ProcessBuilder pb = new ProcessBuilder("java", "-jar", System.getenv("PORTCULLIS_JAR"), "--config", policy.toString(),
          "--state", (i == 1 ? own : state).toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolve("node" + i + ".log").toFile()));
      Map<String, String> env = new HashMap<>();
      env.put("PORTCULLIS_BACKENDS", "local=" + System.getenv("PORTCULLIS_IT_DOCKER_HOST"));
      env.put("PORTCULLIS_TLS_PORT", String.valueOf(tls[i]));
      env.put("PORTCULLIS_ADMIN_PORT", "-1");
      env.put("PORTCULLIS_EDGE_INSTANCES", "1");
      env.put("PORTCULLIS_CLUSTER_PORT", String.valueOf(clusterPorts[i]));
      env.put("PORTCULLIS_CLUSTER_MEMBERS", members);
      env.put("PORTCULLIS_CLUSTER_NAME", cluster);
      pb.environment().putAll(env);
      try {
        return pb.start();
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot start node " + i, e);
      }
    };
    List<DockerCli> via = new ArrayList<>();
    Process follower = null;
    Process session = null;
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(starter.apply(i));
        via.add(new DockerCli("tcp://127.0.0.1:" + tls[i], Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", bundle.toString())));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      for (int i = 0; i < 3; i++) {
        while (via.get(i).run("version").exitCode() != 0) {
          assertThat(System.nanoTime()).as("node %d up; log %s", i, state.resolve("node" + i + ".log")).isLessThan(deadline);
          Thread.sleep(300);
        }
      }
      // Twelve creates at once through the three node processes against a quota of 3: the tenant's
      // creates take turns across the cluster (a cluster-wide lock), so exactly three pass.
      assertThat(ClusterFixtures.createsThatPass(via, 12))
          .as("creates through three nodes that passed a quota of 3, out of 12 at once").isEqualTo(3);
      for (String id : via.get(0).run("ps", "-aq").ok().out().split("\\s+")) {
        if (!id.isBlank()) {
          via.get(0).run("rm", "-f", id).ok();
        }
      }

      String talker = "talker-" + UUID.randomUUID().toString().substring(0, 6);
      String sleeper = "sleeper-" + UUID.randomUUID().toString().substring(0, 6);
      via.get(0).run("run", "-d", "--name", talker, "--network", "none", IMAGE, "sh", "-c",
          "for i in $(seq 1 40); do echo line $i; sleep 0.2; done").ok();
      via.get(0).run("run", "-d", "--name", sleeper, "--network", "none", IMAGE, "sleep", "300").ok();
      follower = via.get(1).start("logs", "-f", talker);
      BufferedReader logs = new BufferedReader(new InputStreamReader(follower.getInputStream(), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>();
      lines.add(logs.readLine());
      session = via.get(2).start("exec", "-i", sleeper, "cat");
      session.getOutputStream().write("before the kill\n".getBytes(StandardCharsets.UTF_8));
      session.getOutputStream().flush();
      BufferedReader echoed = new BufferedReader(new InputStreamReader(session.getInputStream(), StandardCharsets.UTF_8));
      assertThat(echoed.readLine()).isEqualTo("before the kill");

      new ProcessBuilder("kill", "-KILL", String.valueOf(nodes.get(2).pid())).start().waitFor(10, TimeUnit.SECONDS);

      long afterKill = System.nanoTime();
      assertThat(via.get(0).run("ps", "--format", "{{.Names}}").ok().out()).contains(talker, sleeper);
      assertThat(via.get(1).run("exec", sleeper, "echo", "still-served").ok().out()).isEqualTo("still-served\n");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - afterKill)).as("no wait for the dead member").isLessThan(10_000);

      assertThat(session.waitFor(20, TimeUnit.SECONDS)).as("the killed node's session ends on the client").isTrue();
      for (String line = logs.readLine(); line != null; line = logs.readLine()) {
        lines.add(line);
      }
      assertThat(follower.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(follower.exitValue()).isZero();
      assertThat(lines).as("the stream through a surviving node ran to its end").endsWith("line 40");

      // The killed node comes back: it rejoins and serves the tenant's objects like the others.
      nodes.set(2, starter.apply(2));
      long back = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (via.get(2).run("version").exitCode() != 0) {
        assertThat(System.nanoTime()).as("node 2 back; log %s", state.resolve("node2.log")).isLessThan(back);
        Thread.sleep(300);
      }
      assertThat(via.get(2).run("logs", talker).ok().out()).contains("line 40");
      assertThat(via.get(2).run("exec", sleeper, "echo", "rejoined").ok().out()).isEqualTo("rejoined\n");
      via.get(1).run("rm", "-f", talker, sleeper).ok();

      // Split brain on loopback: node 1 paused (SIGSTOP) longer than the failure timeout is dropped by
      // the others; a tenant added meanwhile on node 0's side reaches node 1 once it resumes and the
      // sides merge; the others served throughout.
      new ProcessBuilder("kill", "-STOP", String.valueOf(nodes.get(1).pid())).start().waitFor(10, TimeUnit.SECONDS);
      try {
        Thread.sleep(13_000);
        String late = "late-" + UUID.randomUUID().toString().substring(0, 6);
        Path lateBundle = state.resolve("bundles").resolve(late);
        onboarding.addTenant(late, Role.TENANT, lateBundle, KeyType.EC);
        DockerCli lateVia0 = new DockerCli("tcp://127.0.0.1:" + tls[0], Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", lateBundle.toString()));
        assertThat(via.get(0).run("ps").exitCode()).as("node 0 serves while node 1 is away").isZero();
        long seen = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (lateVia0.run("version").exitCode() != 0) {
          assertThat(System.nanoTime()).as("the new tenant on node 0").isLessThan(seen);
          Thread.sleep(200);
        }
        new ProcessBuilder("kill", "-CONT", String.valueOf(nodes.get(1).pid())).start().waitFor(10, TimeUnit.SECONDS);
        DockerCli lateVia1 = new DockerCli("tcp://127.0.0.1:" + tls[1], Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", lateBundle.toString()));
        long healed = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lateVia1.run("version").exitCode() != 0) {
          assertThat(System.nanoTime()).as("node 1 knows the tenant after the heal").isLessThan(healed);
          Thread.sleep(500);
        }
        assertThat(via.get(1).run("ps").exitCode()).isZero();
        assertThat(Files.readString(own.resolve("tenants.json"))).as("node 1's own copy").contains(late);
      } finally {
        new ProcessBuilder("kill", "-CONT", String.valueOf(nodes.get(1).pid())).start().waitFor(10, TimeUnit.SECONDS);
      }
    } finally {
      if (follower != null) {
        follower.destroyForcibly();
      }
      if (session != null) {
        session.destroyForcibly();
      }
      for (Process node : nodes) {
        node.destroy();
      }
      for (Process node : nodes) {
        if (!node.waitFor(60, TimeUnit.SECONDS)) {
          node.destroyForcibly();
        }
      }
    }
  }
}
