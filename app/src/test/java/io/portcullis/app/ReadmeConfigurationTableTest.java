package io.portcullis.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README's configuration table cannot drift: every key in conf/portcullis.json and in
 * {@link ConfigSchema}, and every environment variable of {@link EnvOverrides}, has its row; every
 * row names a key the node reads; and a row's default is the schema's.
 */
class ReadmeConfigurationTableTest {
  private static final Path ROOT = Files.isRegularFile(Path.of("..", "README.md")) ? Path.of("..") : Path.of(".");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  private static final Pattern VARIABLE = Pattern.compile("\\b(PORTCULLIS_[A-Z0-9_]+|DOCKER_HOST)\\b");

  /** A row: the key, its default and environment cells. */
  record Row(String key, String defaultCell, String environmentCell) {
    /** {@code a.b.*} stands for every key one level under {@code a.b}. */
    boolean documents(String path) {
      if (key.endsWith(".*")) {
        String prefix = key.substring(0, key.length() - 1);
        return path.startsWith(prefix) && !path.substring(prefix.length()).contains(".");
      }
      return key.equals(path);
    }
  }

  private static final Map<String, Row> rows = new LinkedHashMap<>();

  @BeforeAll
  static void readTheTable() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int start = readme.indexOf("\n## Configuration\n");
    assertThat(start).as("README has a Configuration section").isPositive();
    String section = readme.substring(start + 1);
    Matcher next = Pattern.compile("\n##+ ").matcher(section);
    section = next.find(1) ? section.substring(0, next.start()) : section;
    for (String line : section.split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
      assertThat(cells).as("four cells: " + line).hasSize(4);
      Matcher key = CODE.matcher(cells[0]);
      assertThat(key.find()).isTrue();
      Row row = new Row(key.group(1), cells[1].trim(), cells[2].trim());
      assertThat(rows.put(row.key(), row)).as("one row for " + row.key()).isNull();
    }
    assertThat(rows).hasSizeGreaterThan(40);
  }

  private static boolean documented(String path) {
    return rows.values().stream().anyMatch(r -> r.documents(path));
  }

  @Test
  void everyKeyOfTheJarsConfiguration_hasARow() throws Exception {
    JsonObject conf = new JsonObject(Files.readString(ROOT.resolve("conf").resolve("portcullis.json")));
    Set<String> keys = new LinkedHashSet<>();
    walk(ConfigSchema.ROOT, conf, "", keys);

    assertThat(keys).contains("edge.tlsPort", "policy.quotas.maxPids", "policy.tenants.NAME.allow", "registry.hosts[].uri");
    assertThat(keys).allSatisfy(key -> assertThat(documented(key)).as("README documents " + key).isTrue());
  }

  @Test
  void everyKeyOfTheSchema_hasARow_andEveryRowIsAKeyOfTheSchema() {
    List<String> keys = ConfigSchema.keys();

    assertThat(keys).allSatisfy(key -> assertThat(documented(key)).as("README documents " + key).isTrue());
    assertThat(rows.values()).allSatisfy(row -> assertThat(keys.stream().anyMatch(row::documents))
        .as("README's row " + row.key() + " is a key the node reads").isTrue());
  }

  @Test
  void everyEnvironmentOverride_isOnItsKeysRow_andTheTableNamesNoOther() {
    Set<String> known = new LinkedHashSet<>();
    for (EnvOverrides.Override o : EnvOverrides.TABLE) {
      assertThat(rows).as("a row for " + o.path()).containsKey(o.path());
      assertThat(variables(rows.get(o.path()).environmentCell())).as(o.path()).contains(o.variable());
      known.add(o.variable());
    }
    // Not in the table of simple overrides: a list parsed from name=uri pairs, and the docker CLI's own variable.
    assertThat(variables(rows.get("registry.hosts").environmentCell())).contains("PORTCULLIS_BACKENDS", "DOCKER_HOST");
    known.addAll(List.of("PORTCULLIS_BACKENDS", "DOCKER_HOST"));
    rows.values().forEach(row -> assertThat(known).as("variables on " + row.key()).containsAll(variables(row.environmentCell())));
  }

  @Test
  void everyDefaultGiven_isTheSchemasDefault() {
    int compared = 0;
    for (Row row : rows.values()) {
      if (!(ConfigSchema.at(row.key()) instanceof ConfigSchema.Value v) || v.defaultValue() == null) {
        continue;
      }
      Matcher first = CODE.matcher(row.defaultCell());
      assertThat(first.find()).as("a default in backticks for " + row.key()).isTrue();
      assertThat(json(first.group(1))).as("default of " + row.key()).isEqualTo(Json.encode(v.defaultValue()));
      compared++;
    }
    assertThat(compared).isGreaterThan(40);
  }

  /** Collects {@code json}'s keys as README names them, following the schema. */
  private static void walk(ConfigSchema.Node node, Object json, String path, Set<String> out) {
    if (node instanceof ConfigSchema.Value) {
      out.add(path);
    } else if (node instanceof ConfigSchema.Section s) {
      JsonObject o = (JsonObject) json;
      for (String key : o.fieldNames()) {
        String full = path.isEmpty() ? key : path + "." + key;
        assertThat(s.keys()).as("conf key " + full + " is in ConfigSchema").containsKey(key);
        walk(s.keys().get(key), o.getValue(key), full, out);
      }
    } else if (node instanceof ConfigSchema.Named n) {
      JsonObject o = (JsonObject) json;
      String each = path + "." + n.placeholder();
      if (o.isEmpty()) {
        // No tenant in the file: what one may hold is documented all the same.
        ConfigSchema.collect(n.each(), each, out);
      }
      o.fieldNames().forEach(name -> walk(n.each(), o.getValue(name), each, out));
    } else if (node instanceof ConfigSchema.ListOf l) {
      out.add(path);
      JsonArray a = (JsonArray) json;
      ConfigSchema.collect(l.each(), path + "[]", out);
      for (int i = 0; i < a.size(); i++) {
        walk(l.each(), a.getValue(i), path + "[]", out);
      }
    }
  }

  private static Set<String> variables(String cell) {
    Set<String> found = new LinkedHashSet<>();
    Matcher m = VARIABLE.matcher(cell);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  /** README's {@code 127.0.0.1} is the JSON string "127.0.0.1"; {@code ["a", "b"]} is JSON already. */
  private static String json(String text) {
    try {
      return Json.encode(Json.decodeValue(text));
    } catch (DecodeException e) {
      return Json.encode(text);
    }
  }
}
