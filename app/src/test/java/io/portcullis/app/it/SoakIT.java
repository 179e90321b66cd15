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
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bounded soak on loopback: the packaged jar as its own process, three tenants over mutual TLS, for
 * {@code SOAK_SECONDS} (60 in CI; {@code bench/soak.sh} runs 600) mixing plain calls on keep-alive
 * connections (ping, version, ps, inspect), {@code logs -f} streams whose every line must arrive, and
 * hijacked sessions ({@code docker exec -i ... md5sum} of 256 KiB of random bytes, the sum compared).
 * Reports calls served, errors by kind, p50/p99 of the plain calls, and the gateway's RSS and open
 * file descriptors after a warm-up and at the end; fails on any error, any lost byte or line, or
 * growth beyond the stated bounds (fds: +32; RSS: +256 MiB).
 */
@Timeout(value = 1800, unit = TimeUnit.SECONDS)
class SoakIT {
  static final long FD_GROWTH_BOUND = 32;
  static final long RSS_GROWTH_BOUND_KIB = 256 * 1024;

  record Sample(long rssKiB, long fds) {}

  static Sample sample(long pid) throws Exception {
    long rss = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(l -> l.startsWith("VmRSS:")).map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1L);
    long fds;
    try (var list = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      fds = list.count();
    }
    return new Sample(rss, fds);
  }

  @Test
  void mixedLoadFromSeveralTenants_losesNothing_andLeaksNothing() throws Exception {
    long seconds = Long.parseLong(System.getenv().getOrDefault("SOAK_SECONDS", "60"));
    Path state = Files.createTempDirectory("portcullis-soak");
    Onboarding onboarding = new Onboarding(state);
    onboarding.init(List.of("localhost"), List.of("127.0.0.1"));
    List<String> tenants = new ArrayList<>();
    List<Path> bundles = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String tenant = "soak" + i + "-" + UUID.randomUUID().toString().substring(0, 4);
      tenants.add(tenant);
      bundles.add(state.resolve("bundles").resolve(tenant));
      onboarding.addTenant(tenant, Role.TENANT, bundles.get(i), KeyType.EC);
    }
    int port = Gateway.freePort();
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", System.getenv("PORTCULLIS_JAR"), "--state", state.toString())
        .redirectErrorStream(true).redirectOutput(state.resolve("node.log").toFile());
    pb.environment().putAll(Map.of(
        "PORTCULLIS_BACKENDS", "local=" + System.getenv("PORTCULLIS_IT_DOCKER_HOST"),
        "PORTCULLIS_TLS_PORT", String.valueOf(port),
        "PORTCULLIS_ADMIN_PORT", "-1",
        "PORTCULLIS_CLUSTER_PORT", String.valueOf(Gateway.freePort()),
        "PORTCULLIS_CLUSTER_NAME", "soak-" + port));
    Process node = pb.start();
    List<DockerCli> clis = new ArrayList<>();
    for (Path bundle : bundles) {
      clis.add(new DockerCli("tcp://127.0.0.1:" + port, Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", bundle.toString())));
    }
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      long up = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (clis.get(0).run("version").exitCode() != 0) {
        assertThat(node.isAlive()).as("node alive; log %s", state.resolve("node.log")).isTrue();
        assertThat(System.nanoTime()).as("node up").isLessThan(up);
        Thread.sleep(300);
      }
      // A long-running container per tenant: the target of inspect and of the exec sessions.
      List<String> sleepers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String name = "soak-sleeper-" + i;
        clis.get(i).run("run", "-d", "--name", name, "--network", "none", IMAGE, "sleep", String.valueOf(seconds + 300)).ok();
        sleepers.add(name);
      }

      AtomicLong plainCalls = new AtomicLong();
      AtomicLong sessions = new AtomicLong();
      AtomicLong streams = new AtomicLong();
      ConcurrentHashMap<String, AtomicLong> errors = new ConcurrentHashMap<>();
      ConcurrentLinkedQueue<Long> latenciesMicros = new ConcurrentLinkedQueue<>();
      long warmUpEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(10, seconds / 6));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      List<Future<?>> workers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        int t = i;
        // Plain calls on one keep-alive TLS connection per tenant, as an SDK makes them.
        workers.add(pool.submit(() -> {
          String[] targets = {"/_ping", "/v1.41/version", "/v1.41/containers/json", "/v1.41/containers/" + sleepers.get(t) + "/json"};
          int n = 0;
          while (System.nanoTime() < end) {
            try (var socket = TlsClient.connect(bundles.get(t), port)) {
              // A new connection every 200 calls: handshakes are part of the mix.
              for (int k = 0; k < 200 && System.nanoTime() < end; k++, n++) {
                long start = System.nanoTime();
                String[] answer = TlsClient.call(socket, "GET", targets[n % targets.length], null);
                if (System.nanoTime() > warmUpEnd) {
                  latenciesMicros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
                }
                if (!answer[0].contains(" 200 ")) {
                  errors.computeIfAbsent("plain " + answer[0], e -> new AtomicLong()).incrementAndGet();
                }
                plainCalls.incrementAndGet();
                // ~100 calls a second per tenant: well under its rate limit, the test is about holding up.
                Thread.sleep(10);
              }
            } catch (Exception e) {
              errors.computeIfAbsent("plain " + e.getClass().getSimpleName() + ": " + e.getMessage(), x -> new AtomicLong()).incrementAndGet();
            }
          }
          return null;
        }));
        // Hijacked sessions: 256 KiB of random bytes through `exec -i ... md5sum`, the sum compared.
        workers.add(pool.submit(() -> {
          Random random = new Random(t);
          while (System.nanoTime() < end) {
            byte[] data = new byte[256 * 1024];
            random.nextBytes(data);
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
            DockerCli.Result r = clis.get(t).run(data, null, java.time.Duration.ofSeconds(60), Map.of(),
                "exec", "-i", sleepers.get(t), "md5sum");
            if (r.exitCode() != 0 || !r.out().startsWith(expected)) {
              errors.computeIfAbsent("session exit " + r.exitCode() + " " + r.stderr().trim(), x -> new AtomicLong()).incrementAndGet();
            }
            sessions.incrementAndGet();
          }
          return null;
        }));
        // Streams: a container printing 200 numbered lines; `logs -f` must see all of them, then end.
        workers.add(pool.submit(() -> {
          int k = 0;
          while (System.nanoTime() < end) {
            String name = "soak-talker-" + t + "-" + k++;
            clis.get(t).run("run", "-d", "--name", name, "--network", "none", IMAGE, "sh", "-c",
                "i=1; while [ $i -le 200 ]; do echo line $i; i=$((i+1)); usleep 5000; done").ok();
            Process follow = clis.get(t).start("logs", "-f", name);
            BufferedReader lines = new BufferedReader(new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8));
            int seen = 0;
            String last = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
              seen++;
              last = line;
            }
            if (!follow.waitFor(60, TimeUnit.SECONDS) || follow.exitValue() != 0 || seen != 200 || !"line 200".equals(last)) {
              errors.computeIfAbsent("stream lines " + seen + " last " + last, x -> new AtomicLong()).incrementAndGet();
            }
            clis.get(t).run("rm", "-f", name);
            streams.incrementAndGet();
          }
          return null;
        }));
      }
      Thread.sleep(TimeUnit.NANOSECONDS.toMillis(Math.max(0, warmUpEnd - System.nanoTime())));
      Sample start = sample(node.pid());
      for (Future<?> w : workers) {
        w.get(seconds + 300, TimeUnit.SECONDS);
      }
      // Everything the load opened is closed by now: give the node a moment to see the last closes.
      Thread.sleep(2000);
      Sample finish = sample(node.pid());

      List<Long> sorted = latenciesMicros.stream().sorted().toList();
      long p50 = sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
      long p99 = sorted.isEmpty() ? -1 : sorted.get((int) (sorted.size() * 0.99));
      String report = String.format("SoakIT: %d s, 3 tenants: %d plain calls (p50 %.2f ms, p99 %.2f ms), %d exec -i sessions of 256 KiB (md5 compared),"
              + " %d logs -f streams of 200 lines; errors %s; gateway RSS %d -> %d MiB, open fds %d -> %d",
          seconds, plainCalls.get(), p50 / 1000.0, p99 / 1000.0, sessions.get(), streams.get(), errors,
          start.rssKiB() / 1024, finish.rssKiB() / 1024, start.fds(), finish.fds());
      System.out.println(report);
      Files.writeString(Path.of("target", "soak.txt"), report + "\n");
      assertThat(errors).as(report).isEmpty();
      assertThat(sessions.get()).as("sessions ran").isPositive();
      assertThat(streams.get()).as("streams ran").isPositive();
      assertThat(finish.fds()).as("open fds after the load: " + report).isLessThanOrEqualTo(start.fds() + FD_GROWTH_BOUND);
      assertThat(finish.rssKiB()).as("RSS after the load: " + report).isLessThanOrEqualTo(start.rssKiB() + RSS_GROWTH_BOUND_KIB);
      for (int i = 0; i < 3; i++) {
        clis.get(i).run("rm", "-f", sleepers.get(i));
      }
    } finally {
      pool.shutdownNow();
      node.destroy();
      if (!node.waitFor(60, TimeUnit.SECONDS)) {
        node.destroyForcibly();
      }
    }
  }
}
