package io.portcullis.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile cannot be built here (no base image can be pulled), so what can be checked without
 * building it is checked against what uses it: k8s/statefulset.yaml (image, args, ports, mounts, user)
 * and the configuration the node loads there (conf/ with the ConfigMap over it).
 */
class DockerfileTest {
  private static final Path ROOT = Files.isRegularFile(Path.of("..", "Dockerfile")) ? Path.of("..") : Path.of(".");
  /** Instruction → its arguments, one entry per occurrence, continuation lines joined. */
  private static final Map<String, List<String>> instructions = new LinkedHashMap<>();
  private static Container container;
  private static PodSecurityContext podSecurity;
  private static JsonObject config;

  @BeforeAll
  static void read() throws IOException {
    String joined = Files.readString(ROOT.resolve("Dockerfile")).replaceAll("\\\\\n", " ");
    for (String line : joined.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int space = trimmed.indexOf(' ');
      instructions.computeIfAbsent(trimmed.substring(0, space), k -> new ArrayList<>()).add(trimmed.substring(space + 1).strip());
    }
    KubernetesSerialization yaml = new KubernetesSerialization();
    StatefulSet set;
    ConfigMap configMap;
    try (InputStream s = Files.newInputStream(ROOT.resolve("k8s/statefulset.yaml"));
        InputStream c = Files.newInputStream(ROOT.resolve("k8s/configmap.yaml"))) {
      set = yaml.unmarshal(s, StatefulSet.class);
      configMap = yaml.unmarshal(c, ConfigMap.class);
    }
    container = set.getSpec().getTemplate().getSpec().getContainers().get(0);
    podSecurity = set.getSpec().getTemplate().getSpec().getSecurityContext();
    config = new JsonObject(Files.readString(ROOT.resolve("conf/portcullis.json")))
        .mergeIn(new JsonObject(configMap.getData().get("portcullis.json")), true);
  }

  private static String one(String instruction) {
    List<String> all = instructions.getOrDefault(instruction, List.of());
    assertThat(all).as("one " + instruction).hasSize(1);
    return all.get(0);
  }

  private static String mount(String volume) {
    return container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).map(VolumeMount::getMountPath)
        .findFirst().orElseThrow(() -> new AssertionError("no mount " + volume));
  }

  private static String env(String variable) {
    return instructions.getOrDefault("ENV", List.of()).stream().filter(e -> e.startsWith(variable + "="))
        .map(e -> e.substring(variable.length() + 1)).findFirst().orElseThrow(() -> new AssertionError("no ENV " + variable));
  }

  @Test
  void itRunsTheBuildsJar_onAJava17Runtime() throws IOException {
    assertThat(one("FROM")).isEqualTo("eclipse-temurin:17-jre");
    assertThat(Files.readString(ROOT.resolve("pom.xml"))).contains("<maven.compiler.release>17</maven.compiler.release>");
    String[] copy = one("COPY").split("\\s+");
    assertThat(copy[0]).isEqualTo("app/target/portcullis.jar");
    assertThat(new JsonArray(one("ENTRYPOINT"))).containsExactly("java", "-jar", copy[1]);
    assertThat(Files.readString(ROOT.resolve(".dockerignore"))).contains("!app/target/portcullis.jar");
  }

  @Test
  void theStatefulSetsImage_isTheOneReadmeBuilds_atTheProjectsVersion() throws IOException {
    Matcher version = Pattern.compile("<artifactId>portcullis-parent</artifactId>\\s*<version>([^<-]+)").matcher(
        Files.readString(ROOT.resolve("pom.xml")));
    assertThat(version.find()).isTrue();
    String image = "portcullis:" + version.group(1);
    assertThat(container.getImage()).isEqualTo(image);
    assertThat(Files.readString(ROOT.resolve("README.md"))).contains("docker build -t " + image + " .");
    assertThat(Files.readString(ROOT.resolve("Dockerfile"))).contains("docker build -t " + image + " .");
  }

  @Test
  void itsArguments_areTheStatefulSets_andItsEnvironmentPointsWhereTheyDo() {
    List<String> cmd = new JsonArray(one("CMD")).stream().map(String::valueOf).toList();
    assertThat(container.getArgs()).as("args replace CMD").isEqualTo(cmd);
    assertThat(container.getCommand()).as("the image's ENTRYPOINT is kept").isNullOrEmpty();
    String configFile = cmd.get(cmd.indexOf("--config") + 1);
    String stateDir = cmd.get(cmd.indexOf("--state") + 1);
    assertThat(env("PORTCULLIS_CONFIG")).isEqualTo(configFile).isEqualTo(mount("config") + "/portcullis.json");
    assertThat(env("PORTCULLIS_STATE_DIR")).isEqualTo(stateDir).isEqualTo(mount("state"));
    assertThat(one("VOLUME")).isEqualTo(stateDir).isEqualTo(config.getJsonObject("auth").getString("stateDir"));
  }

  @Test
  void itsBuiltInConfiguration_isWhereTheConfigMapGoes_andValid() {
    Matcher echo = Pattern.compile("echo '([^']*)' > (\\S+)").matcher(one("RUN"));
    assertThat(echo.find()).as("the RUN writes a configuration").isTrue();
    assertThat(echo.group(2)).isEqualTo(mount("config") + "/portcullis.json");
    JsonObject builtIn = new JsonObject(echo.group(1));
    assertThatCode(() -> ConfigValidator.validate(ConfigLoader.defaults().mergeIn(builtIn, true))).doesNotThrowAnyException();
    assertThat(builtIn.getJsonObject("edge").getString("tlsHost")).isEqualTo(config.getJsonObject("edge").getString("tlsHost"));
    assertThat(builtIn.getJsonObject("admin").getString("host")).isEqualTo(config.getJsonObject("admin").getString("host"));
  }

  @Test
  void itExposesTheContainersPorts_whichAreTheConfiguredOnes() {
    List<Integer> exposed = List.of(one("EXPOSE").split("\\s+")).stream().map(Integer::valueOf).toList();
    assertThat(exposed).containsExactlyInAnyOrderElementsOf(container.getPorts().stream().map(ContainerPort::getContainerPort).toList());
    assertThat(exposed).containsExactlyInAnyOrder(config.getJsonObject("edge").getInteger("tlsPort"),
        config.getJsonObject("admin").getInteger("port"), config.getJsonObject("cluster").getInteger("port"),
        config.getJsonObject("cluster").getInteger("busPort"));
  }

  @Test
  void itRunsAsTheNonRootUserThePodRunsAs() {
    String[] user = one("USER").split(":");
    assertThat(Long.valueOf(user[0])).isNotZero().isEqualTo(podSecurity.getRunAsUser());
    assertThat(Long.valueOf(user[1])).isEqualTo(podSecurity.getRunAsGroup()).isEqualTo(podSecurity.getFsGroup());
    assertThat(podSecurity.getRunAsNonRoot()).isTrue();
    assertThat(one("RUN")).contains("--uid " + user[0], "--gid " + user[1], "chown " + user[0] + ":" + user[1] + " " + one("VOLUME"));
  }

  @Test
  void thereIsNoHealthcheck_theAdminPortsProbesAreDocumentedInstead() throws IOException {
    assertThat(instructions).doesNotContainKey("HEALTHCHECK");
    assertThat(Files.readString(ROOT.resolve("Dockerfile"))).contains("/health", "/readiness");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readiness");
  }
}
