package io.portcullis.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.portcullis.gateway.GatewayConfig;
import io.portcullis.gateway.admin.AdminConfig;
import io.portcullis.registry.RegistryConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every manifest in {@code k8s/} read with fabric8's Kubernetes model, and cross-checked against the
 * gateway's own configuration: the ConfigMap's JSON is what the node would load, and the ports,
 * paths, names and probes the manifests name are the ones that configuration makes the node use.
 */
class KubernetesManifestsTest {
  private static final Path K8S = Files.isDirectory(Path.of("..", "k8s")) ? Path.of("..", "k8s") : Path.of("k8s");
  private static final List<HasMetadata> objects = new ArrayList<>();
  private static JsonObject config;

  @BeforeAll
  static void read() throws IOException {
    KubernetesSerialization serialization = new KubernetesSerialization();
    try (Stream<Path> files = Files.list(K8S)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().equals("kustomization.yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          Object parsed = serialization.unmarshal(in);
          if (parsed instanceof List<?> list) {
            list.forEach(o -> objects.add((HasMetadata) o));
          } else {
            objects.add((HasMetadata) parsed);
          }
        }
      }
    }
    // What the node loads: the jar's defaults (conf/), then the ConfigMap's file over them.
    JsonObject defaults = new JsonObject(Files.readString(K8S.resolveSibling("conf").resolve("portcullis.json")));
    config = merge(defaults, new JsonObject(one(ConfigMap.class, "portcullis-config").getData().get("portcullis.json")));
  }

  private static JsonObject merge(JsonObject base, JsonObject over) {
    JsonObject merged = base.copy();
    for (String key : over.fieldNames()) {
      Object value = over.getValue(key);
      merged.put(key, value instanceof JsonObject o && merged.getValue(key) instanceof JsonObject b ? merge(b, o) : value);
    }
    return merged;
  }

  private static <T extends HasMetadata> T one(Class<T> kind, String name) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).filter(o -> o.getMetadata().getName().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name + " in k8s/"));
  }

  private static Container gateway() {
    return one(StatefulSet.class, "portcullis").getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static int containerPort(String name) {
    return gateway().getPorts().stream().filter(p -> p.getName().equals(name)).map(ContainerPort::getContainerPort)
        .findFirst().orElseThrow(() -> new AssertionError("no container port " + name));
  }

  private static String argAfter(String flag) {
    List<String> args = gateway().getArgs();
    return args.get(args.indexOf(flag) + 1);
  }

  @Test
  void everyManifest_isAKnownKind_inTheNamespace_andListedForKustomize() throws IOException {
    assertThat(objects).extracting(o -> o.getClass().getSimpleName())
        .contains("Namespace", "ConfigMap", "Secret", "PersistentVolumeClaim", "Service", "StatefulSet", "PodDisruptionBudget", "NetworkPolicy");
    objects.stream().filter(o -> !o.getKind().equals("Namespace"))
        .forEach(o -> assertThat(o.getMetadata().getNamespace()).as(o.getKind() + " " + o.getMetadata().getName()).isEqualTo("portcullis"));
    String kustomization = Files.readString(K8S.resolve("kustomization.yaml"));
    try (Stream<Path> files = Files.list(K8S)) {
      files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
          .forEach(f -> assertThat(kustomization).as("kustomization lists " + f).contains("- " + f));
    }
  }

  @Test
  void theConfigMap_isAConfigurationTheNodeAccepts() {
    org.assertj.core.api.Assertions.assertThatCode(() -> ConfigValidator.validate(config)).as("the schema's checks").doesNotThrowAnyException();
    GatewayConfig edge = GatewayConfig.fromJson(config.getJsonObject("edge"));
    AdminConfig admin = AdminConfig.fromJson(config.getJsonObject("admin"), config.getJsonObject("edge"));
    RegistryConfig.fromJson(config.getJsonObject("registry"));
    assertThat(edge.tlsEnabled()).isTrue();
    assertThat(admin.enabled()).isTrue();
    assertThat(NodeRoles.fromConfig(config)).as("every node runs every role").hasSize(NodeRoles.values().length);
  }

  @Test
  void portsOfServicesAndContainer_areTheConfiguredOnes() {
    assertThat(containerPort("docker-tls")).isEqualTo(config.getJsonObject("edge").getInteger("tlsPort"));
    assertThat(containerPort("admin")).isEqualTo(config.getJsonObject("admin").getInteger("port"));
    assertThat(containerPort("hazelcast")).isEqualTo(config.getJsonObject("cluster").getInteger("port"));
    assertThat(containerPort("event-bus")).isEqualTo(config.getJsonObject("cluster").getInteger("busPort"));
    Service tenants = one(Service.class, "portcullis");
    assertThat(tenants.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getPort()).isEqualTo(2376);
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("docker-tls");
    });
    Service members = one(Service.class, "portcullis-cluster");
    assertThat(members.getSpec().getClusterIP()).as("headless").isEqualTo("None");
    assertThat(members.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(members.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("hazelcast"));
  }

  @Test
  void memberDiscovery_namesTheHeadlessService_andTheStatefulSetsServiceName() {
    StatefulSet set = one(StatefulSet.class, "portcullis");
    String headless = one(Service.class, "portcullis-cluster").getMetadata().getName();
    assertThat(set.getSpec().getServiceName()).isEqualTo(headless);
    assertThat(config.getJsonObject("cluster").getString("kubernetesServiceDns"))
        .isEqualTo(headless + "." + set.getMetadata().getNamespace() + ".svc.cluster.local");
    assertThat(gateway().getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("PORTCULLIS_CLUSTER_HOST");
      assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
    });
  }

  @Test
  void theClustersOwnPorts_areOpenToTheGatewaysPodsOnly() {
    NetworkPolicy policy = one(NetworkPolicy.class, "portcullis");
    Map<String, String> pods = one(StatefulSet.class, "portcullis").getSpec().getTemplate().getMetadata().getLabels();
    assertThat(pods).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
    List<String> containerPorts = gateway().getPorts().stream().map(ContainerPort::getName).toList();
    List<String> open = new ArrayList<>();
    for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
      List<String> ports = rule.getPorts().stream().map(p -> p.getPort().getStrVal()).toList();
      assertThat(containerPorts).as("ports named by the policy are the container's").containsAll(ports);
      if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
        open.addAll(ports);
      } else {
        assertThat(rule.getFrom()).allSatisfy(peer -> assertThat(pods).containsAllEntriesOf(peer.getPodSelector().getMatchLabels()));
      }
    }
    assertThat(open).as("reachable from anywhere").containsExactlyInAnyOrder("docker-tls", "admin");
    assertThat(containerPorts).as("every port of the container is covered").containsExactlyInAnyOrder("docker-tls", "admin", "hazelcast", "event-bus");
  }

  @Test
  void selectors_matchThePods() {
    Map<String, String> pods = one(StatefulSet.class, "portcullis").getSpec().getTemplate().getMetadata().getLabels();
    assertThat(one(StatefulSet.class, "portcullis").getSpec().getSelector().getMatchLabels()).isEqualTo(pods);
    assertThat(pods).containsAllEntriesOf(one(Service.class, "portcullis").getSpec().getSelector());
    assertThat(pods).containsAllEntriesOf(one(Service.class, "portcullis-cluster").getSpec().getSelector());
    PodDisruptionBudget pdb = one(PodDisruptionBudget.class, "portcullis");
    assertThat(pods).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isLessThan(one(StatefulSet.class, "portcullis").getSpec().getReplicas());
  }

  @Test
  void probes_areTheAdminPortsHealthAndReadiness_overHttps() {
    Probe liveness = gateway().getLivenessProbe();
    Probe readiness = gateway().getReadinessProbe();
    assertThat(liveness.getHttpGet().getPath()).isEqualTo("/health");
    assertThat(readiness.getHttpGet().getPath()).isEqualTo("/readiness");
    for (Probe probe : List.of(liveness, readiness)) {
      assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("admin");
      assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTPS");
    }
    assertThat(gateway().getResources().getRequests()).containsKeys("cpu", "memory");
  }

  @Test
  void mountedFiles_areWhereTheConfigurationLooks() {
    Map<String, String> mounts = new java.util.HashMap<>();
    for (VolumeMount m : gateway().getVolumeMounts()) {
      mounts.put(m.getName(), m.getMountPath());
    }
    assertThat(argAfter("--config")).isEqualTo(mounts.get("config") + "/portcullis.json");
    assertThat(argAfter("--state")).isEqualTo(mounts.get("state")).isEqualTo(config.getJsonObject("auth").getString("stateDir"));
    assertThat(config.getJsonObject("edge").getString("tlsCertPath")).isEqualTo(mounts.get("tls") + "/cert.pem");
    assertThat(config.getJsonObject("edge").getString("tlsKeyPath")).isEqualTo(mounts.get("tls") + "/key.pem");
    assertThat(mounts.get("pki")).as("the CA where the auth verticle reads it").isEqualTo(mounts.get("state") + "/ca");
    StatefulSet set = one(StatefulSet.class, "portcullis");
    var volumes = set.getSpec().getTemplate().getSpec().getVolumes();
    assertThat(volumes).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("config");
      assertThat(v.getConfigMap().getName()).isEqualTo("portcullis-config");
    });
    assertThat(volumes).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("state");
      assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo(one(PersistentVolumeClaim.class, "portcullis-state").getMetadata().getName());
    });
    Secret pki = one(Secret.class, "portcullis-pki");
    assertThat(pki.getStringData()).containsKeys("ca.pem", "ca-key.pem", "cert.pem", "key.pem");
    assertThat(one(PersistentVolumeClaim.class, "portcullis-state").getSpec().getAccessModes()).containsExactly("ReadWriteMany");
  }
}
