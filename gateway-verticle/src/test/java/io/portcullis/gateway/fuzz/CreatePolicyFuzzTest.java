package io.portcullis.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.portcullis.contracts.ApiException;
import io.portcullis.gateway.policy.CreatePolicy;
import io.portcullis.gateway.policy.DockerJsonKeys;
import io.portcullis.gateway.policy.PolicyConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link DockerJsonKeys} canonicalisation and {@link CreatePolicy} over generated create bodies: keys of
 * HostConfig fields in any spelling Go's decoder matches, nested at random. The model: a body is refused
 * if, reading keys the way Go does, {@code HostConfig.Privileged} is true, {@code HostConfig.Binds} has a
 * host path, {@code HostConfig.CapAdd} has SYS_ADMIN, {@code HostConfig.Devices} is a non-empty list or
 * {@code HostConfig.PidMode} is host. Whenever the model refuses, the gateway must throw an
 * {@link ApiException} (a 403, or a 400 for keys it finds ambiguous), and nothing else is ever thrown.
 */
class CreatePolicyFuzzTest {
  private static final List<String> HOST_FIELDS = List.of("Privileged", "Binds", "CapAdd", "Devices", "PidMode", "Mounts",
      "NetworkMode", "SecurityOpt", "Labels", "Memory");
  private final CreatePolicy policy = new CreatePolicy(PolicyConfig.defaults());

  @Property(seed = FuzzSeeds.SEED)
  void aBodyTheModelRefusesIsNeverLetThrough(@ForAll("createBodies") JsonObject body) {
    Throwable thrown = catchThrowable(() -> policy.checkContainerCreate("tenant-a", DockerJsonKeys.canonical(body.copy())));
    if (thrown != null) {
      assertThat(thrown).as("only ApiException for %s", body.encode()).isInstanceOf(ApiException.class);
    }
    if (refusedByModel(body)) {
      assertThat(thrown).as("refused: %s", body.encode()).isInstanceOf(ApiException.class);
    }
  }

  @Example
  void knownBodies() {
    for (String body : List.of("{\"hoſtconfig\":{\"privileged\":true}}", "{\"HostConfig\":{\"bindſ\":[\"/:/h\"]}}",
        "{\"HOSTCONFIG\":{\"CAPADD\":[\"sys_admin\"]}}", "{\"HostConfig\":{\"Privileged\":false,\"privileged\":true}}",
        "{\"HostConfig\":{\"Devices\":[{}]}}", "{\"HostConfig\":{\"pidmode\":\"HOST\"}}", "{\"HostConfig\":[]}",
        "{\"HostConfig\":{\"Binds\":[null,1,{}]}}", "{\"HostConfig\":{\"Mounts\":[null,\"x\",[]]}}")) {
      aBodyTheModelRefusesIsNeverLetThrough(new JsonObject(body));
    }
  }

  static boolean refusedByModel(JsonObject body) {
    if (!(JsonArbitraries.field(body.getMap(), "HostConfig") instanceof JsonObject host)) {
      return false;
    }
    java.util.Map<String, Object> h = host.getMap();
    if (Boolean.TRUE.equals(JsonArbitraries.field(h, "Privileged"))) {
      return true;
    }
    if (JsonArbitraries.field(h, "Binds") instanceof JsonArray binds
        && binds.stream().anyMatch(b -> b instanceof String s && s.startsWith("/"))) {
      return true;
    }
    if (JsonArbitraries.field(h, "CapAdd") instanceof JsonArray caps
        && caps.stream().anyMatch(c -> c instanceof String s && s.toUpperCase(Locale.ROOT).equals("SYS_ADMIN"))) {
      return true;
    }
    if (JsonArbitraries.field(h, "Devices") instanceof JsonArray devices && !devices.isEmpty()) {
      return true;
    }
    return JsonArbitraries.field(h, "PidMode") instanceof String mode && mode.equalsIgnoreCase("host");
  }

  @Provide
  Arbitrary<JsonObject> createBodies() {
    Arbitrary<String> hostKeys = Arbitraries.oneOf(JsonArbitraries.dockerKey(HOST_FIELDS), Arbitraries.strings().alpha().ofMaxLength(5));
    Arbitrary<Object> hostValues = Arbitraries.oneOf(
        JsonArbitraries.value(2, hostKeys),
        Arbitraries.of("/:/host", "/etc:/etc", "vol:/data", "SYS_ADMIN", "sys_admin", "NET_RAW").list().ofMaxSize(3)
            .map(l -> (Object) new JsonArray(new java.util.ArrayList<>(l))),
        Arbitraries.of(true, false, "host", "HOST", "private").map(v -> (Object) v));
    Arbitrary<Object> hostConfig = JsonArbitraries.object(hostValues, hostKeys).map(o -> (Object) o);
    Arbitrary<String> topKeys = Arbitraries.oneOf(JsonArbitraries.dockerKey(List.of("HostConfig", "Image", "Cmd", "Labels")),
        Arbitraries.strings().alpha().ofMaxLength(5));
    Arbitrary<Object> topValues = Arbitraries.oneOf(hostConfig, JsonArbitraries.value(2, topKeys));
    return JsonArbitraries.object(topValues, topKeys);
  }
}
