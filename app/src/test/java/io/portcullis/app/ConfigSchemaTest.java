package io.portcullis.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.auth.AuthConfig;
import io.portcullis.gateway.GatewayConfig;
import io.portcullis.gateway.admin.AdminConfig;
import io.portcullis.gateway.policy.PolicyConfig;
import io.portcullis.gateway.policy.Quotas;
import io.portcullis.registry.RegistryConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Defaults are written in three places, each for a reason: conf/portcullis.json (the layer the node
 * loads, and what operators read), {@link ConfigSchema} (the validator's table, and README's source),
 * and the records' {@code fromJson} (so a verticle deployed with a partial configuration, as tests
 * do, still gets sensible values). These tests keep the three equal.
 */
class ConfigSchemaTest {
  private static final Path CONF = Files.isDirectory(Path.of("..", "conf")) ? Path.of("..", "conf") : Path.of("conf");

  @Test
  void theSchemasDefaults_areExactlyConfPortcullisJson() throws Exception {
    JsonObject conf = new JsonObject(Files.readString(CONF.resolve("portcullis.json")));

    assertThat(canonical(ConfigSchema.defaults())).isEqualTo(canonical(conf));
  }

  @Test
  void theRecordsDefaults_areTheSchemas() {
    JsonObject none = new JsonObject();
    // The TLS listener needs certificate paths to parse; they have no default of their own.
    JsonObject edge = new JsonObject().put("tlsCertPath", "/c.pem").put("tlsKeyPath", "/k.pem");
    int compared = 0;
    compared += compare("edge", GatewayConfig.fromJson(edge), List.of("tlsCertPath", "tlsKeyPath"));
    compared += compare("auth", AuthConfig.fromJson(none), List.of("stateDir"));
    compared += compare("registry", RegistryConfig.fromJson(none), List.of("stateDir", "placement"));
    // admin.port: -1 (off) in code, so that a verticle deployed without an admin section opens no port;
    // the jar's configuration turns it on (README says both).
    compared += compare("admin", AdminConfig.fromJson(none, edge), List.of("port", "certPath", "keyPath"));
    compared += compare("policy", PolicyConfig.fromJson(none), List.of("allowedCapabilities", "tenantAllowances", "quotas", "tenantQuotas"));
    Quotas quotas = PolicyConfig.fromJson(none).quotas();
    compared += compare("policy.quotas", quotas, List.of("defaultNanoCpus", "maxNanoCpus"));
    assertThat(quotas.defaultNanoCpus() / 1e9).isEqualTo(((Number) default_("policy.quotas.defaultCpus")).doubleValue());
    assertThat(quotas.maxNanoCpus() / 1e9).isEqualTo(((Number) default_("policy.quotas.maxCpus")).doubleValue());
    assertThat(compared).as("record components compared").isGreaterThan(30);
  }

  @Test
  void everyNodeRole_isOneTheSchemaAccepts() {
    JsonArray all = new JsonArray();
    for (NodeRoles role : NodeRoles.values()) {
      all.add(role.name().toLowerCase(java.util.Locale.ROOT));
    }
    assertThat(((ConfigSchema.Value) ConfigSchema.at("node.roles")).rule().accepts().test(all)).isTrue();
    assertThat(default_("node.roles")).isEqualTo(all);
  }

  /** Each component of {@code record} not in {@code skipped} equals the schema's default of {@code section.NAME}. */
  private static int compare(String section, Record record, List<String> skipped) {
    int n = 0;
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      if (skipped.contains(c.getName())) {
        continue;
      }
      String key = section + "." + c.getName();
      Object value;
      try {
        value = c.getAccessor().invoke(record);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
      assertThat(canonical(value)).as(key).isEqualTo(canonical(default_(key)));
      n++;
    }
    return n;
  }

  private static Object default_(String key) {
    ConfigSchema.Node node = ConfigSchema.at(key);
    assertThat(node).as("schema key " + key).isInstanceOf(ConfigSchema.Value.class);
    return ((ConfigSchema.Value) node).defaultValue();
  }

  /** Numbers by value (1 == 1L == 1.0), lists and sets as sorted lists, objects as maps. */
  private static Object canonical(Object value) {
    if (value instanceof Number n) {
      return new BigDecimal(n.toString()).stripTrailingZeros();
    }
    if (value instanceof JsonArray a) {
      return canonical(a.getList());
    }
    if (value instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>();
      c.forEach(o -> out.add(canonical(o)));
      if (!(c instanceof List)) {
        out.sort(java.util.Comparator.comparing(String::valueOf));
      }
      return out;
    }
    if (value instanceof JsonObject o) {
      return canonical(o.getMap());
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new java.util.TreeMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), canonical(v)));
      return out;
    }
    return value;
  }
}
