package io.portcullis.app.it;

import io.portcullis.app.PortcullisNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.portcullis.auth.Onboarding;
import io.portcullis.auth.ca.KeyType;
import io.portcullis.auth.ca.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/**
 * One gateway node for the end-to-end suite, in this JVM, fronting the private dockerd that the
 * test command started ({@code PORTCULLIS_IT_DOCKER_HOST}). Started once and shared by every IT class.
 */
final class Gateway {
  static final String IMAGE = "busybox:local";
  /** A tenant with small quotas (see the policy in {@link #start}). */
  static final String QUOTA_TENANT = "quota-user";
  /** A tenant exempt from the privileged rule. */
  static final String TRUSTED_TENANT = "trusted-user";
  private static Gateway shared;

  final PortcullisNode node;
  /** The plaintext (loopback) listener's port. */
  final int port;
  /** The mutual-TLS listener's port. */
  final int tlsPort;
  final String backendUri;
  final Path stateDir;
  /** Client bundle (ca.pem, cert.pem, key.pem) of tenant "it", for DOCKER_CERT_PATH. */
  final Path tenantBundle;

  private Gateway(PortcullisNode node, int port, int tlsPort, String backendUri, Path stateDir, Path tenantBundle) {
    this.node = node;
    this.port = port;
    this.tlsPort = tlsPort;
    this.backendUri = backendUri;
    this.stateDir = stateDir;
    this.tenantBundle = tenantBundle;
  }

  static synchronized Gateway shared() {
    if (shared == null) {
      String backend = System.getenv("PORTCULLIS_IT_DOCKER_HOST");
      if (backend == null || backend.isBlank()) {
        throw new IllegalStateException("PORTCULLIS_IT_DOCKER_HOST is not set: run the suite with scripts/test.sh, which starts a private dockerd");
      }
      shared = start(backend);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> shared.close()));
    }
    return shared;
  }

  static Gateway start(String backendUri) {
    int port = freePort();
    int tlsPort = freePort();
    Path stateDir;
    Path bundle;
    try {
      stateDir = Files.createTempDirectory("portcullis-it-state");
      bundle = stateDir.resolve("bundles").resolve("it");
      Onboarding onboarding = new Onboarding(stateDir);
      onboarding.init(List.of("localhost"), List.of("127.0.0.1"));
      onboarding.addTenant("it", Role.TENANT, bundle, KeyType.EC);
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare the state directory", e);
    }
    JsonObject config = new JsonObject()
        .put("edge", new JsonObject().put("plaintextHost", "127.0.0.1").put("plaintextPort", port)
            .put("tlsHost", "127.0.0.1").put("tlsPort", tlsPort).put("instances", 2))
        .put("auth", new JsonObject().put("plaintextTenant", "local").put("stateDir", stateDir.toString()).put("reloadIntervalMs", 200))
        .put("registry", new JsonObject()
            .put("hosts", new JsonArray().add(new JsonObject().put("name", "local").put("uri", backendUri)))
            .put("healthIntervalMs", 1000))
        .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", freePort()).put("name", "portcullis-it-" + port))
        // Only Docker Hub for tenants, except "local" (below), which RegistryPushPullIT uses with a
        // registry on loopback: the daemon must not be sent to any address a tenant names.
        .put("policy", new JsonObject().put("allowedRegistries", new JsonArray().add("docker.io")).put("tenants", new JsonObject()
            // Small quotas for the quota tests, and a trusted tenant with one rule opened.
            .put(QUOTA_TENANT, new JsonObject().put("quotas", new JsonObject().put("maxContainers", 2)
                .put("defaultMemoryBytes", 64 << 20).put("maxMemoryBytes", 256 << 20)
                .put("defaultCpus", 0.25).put("maxCpus", 0.5).put("defaultPids", 50).put("maxPids", 100)))
            .put(TRUSTED_TENANT, new JsonObject().put("allow", new JsonArray().add("privileged")))
            .put("quota-race", new JsonObject().put("quotas", new JsonObject().put("maxContainers", 3)))
            // The plaintext tenant may use BuildKit, so that ProtocolIT can show its h2c upgrades spliced.
            .put("local", new JsonObject().put("allow", new JsonArray().add("buildkit").add("registries")))));
    try {
      PortcullisNode node = PortcullisNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      return new Gateway(node, port, tlsPort, backendUri, stateDir, bundle);
    } catch (Exception e) {
      throw new IllegalStateException("gateway did not start", e);
    }
  }

  /** A container name no other test uses. */
  static String uniqueName() {
    return "it-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  /** Removes, directly on the daemon, the containers a test class labelled as its own. */
  void removeContainersLabelled(String label) {
    DockerCli.Result ids = direct().run("ps", "-aq", "--filter", "label=" + label);
    for (String id : ids.out().split("\\s+")) {
      if (!id.isBlank()) {
        direct().run("rm", "-f", id);
      }
    }
  }

  DockerCli cli() {
    return new DockerCli("tcp://127.0.0.1:" + port);
  }

  /** The docker CLI over mutual TLS, as tenant "it", the way a tenant sets it up (DOCKER_CERT_PATH). */
  DockerCli tlsCli() {
    return tlsCli(tenantBundle);
  }

  DockerCli tlsCli(Path bundle) {
    return new DockerCli("tcp://127.0.0.1:" + tlsPort, Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", bundle.toString()));
  }

  /** Registers a tenant (or re-issues its bundle) and returns the docker CLI set up as that tenant. */
  DockerCli newTenantCli(String tenant) {
    try {
      Path bundle = Files.createTempDirectory("portcullis-it-" + tenant).resolve("bundle");
      onboarding().addTenant(tenant, io.portcullis.auth.ca.Role.TENANT, bundle, io.portcullis.auth.ca.KeyType.EC);
      return tlsCli(bundle);
    } catch (IOException e) {
      throw new IllegalStateException("cannot onboard " + tenant, e);
    }
  }

  Onboarding onboarding() {
    return new Onboarding(stateDir);
  }

  DockerCli direct() {
    return new DockerCli(backendUri);
  }

  void close() {
    try {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort at exit
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
