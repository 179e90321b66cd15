package io.portcullis.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.gateway.ownership.Ownership;
import io.portcullis.gateway.ownership.TenantNames;
import io.portcullis.gateway.policy.DockerJsonKeys;
import io.portcullis.gateway.policy.PolicyConfig;
import io.portcullis.gateway.policy.QuotaPolicy;
import io.portcullis.gateway.rewrite.ResponseRewrites.TenantCounts;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every body rewrite against golden files: {@code golden/<rewrite>/<case>.in.json} rewritten for
 * tenant {@code alice} must equal {@code <case>.expected.json}. Requests go through the same steps as
 * at the edge (canonical keys, quota defaults, names, owner label); answers through their rewrite.
 */
class GoldenRewriteTest {
  private static final String TENANT = "alice";
  private static final TenantNames NAMES = new TenantNames(TENANT);
  private static final QuotaPolicy QUOTAS = new QuotaPolicy(PolicyConfig.defaults());

  private static final Map<String, UnaryOperator<Object>> REWRITES = Map.ofEntries(
      Map.entry("container-create", json -> {
        JsonObject body = DockerJsonKeys.canonical((JsonObject) json);
        QUOTAS.applyToCreate(TENANT, body);
        return Ownership.stamp(RequestRewrites.containerCreate(body, NAMES), TENANT);
      }),
      // The container is created as "db" (the name in the query): it answers DNS as db on its networks.
      Map.entry("container-create-named-db", json -> RequestRewrites.withNameAlias(
          RequestRewrites.containerCreate(DockerJsonKeys.canonical((JsonObject) json), NAMES), "db")),
      Map.entry("volume-create", json -> Ownership.stamp(RequestRewrites.named(DockerJsonKeys.canonical((JsonObject) json), NAMES), TENANT)),
      Map.entry("network-create", json -> Ownership.stamp(RequestRewrites.named(DockerJsonKeys.canonical((JsonObject) json), NAMES), TENANT)),
      Map.entry("container-list", json -> ResponseRewrites.containerList((JsonArray) json, NAMES)),
      Map.entry("container-inspect", json -> ResponseRewrites.containerInspect((JsonObject) json, NAMES)),
      Map.entry("volume-list", json -> ResponseRewrites.volumeList((JsonObject) json, NAMES)),
      Map.entry("network-list", json -> ResponseRewrites.networkList((JsonArray) json, NAMES)),
      Map.entry("network-inspect", json -> ResponseRewrites.network((JsonObject) json, NAMES)),
      Map.entry("image-list", json -> ResponseRewrites.imageList((JsonArray) json, TENANT)),
      Map.entry("system-df", json -> ResponseRewrites.systemDf((JsonObject) json, TENANT, NAMES)),
      Map.entry("info", json -> ResponseRewrites.info((JsonObject) json, new TenantCounts(3, 1, 1, 1, 2), "portcullis")),
      Map.entry("event", json -> ResponseRewrites.tenantEvent((JsonObject) json, TENANT, NAMES)),
      Map.entry("stats", json -> ResponseRewrites.stats((JsonObject) json, NAMES)),
      Map.entry("prune-report", json -> ResponseRewrites.pruneReport((JsonObject) json, NAMES)));

  private static Path golden() throws Exception {
    return Paths.get(GoldenRewriteTest.class.getResource("/golden").toURI());
  }

  static Stream<Path> cases() throws Exception {
    return Files.walk(golden()).filter(p -> p.getFileName().toString().endsWith(".in.json")).sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rewrite_matchesTheExpectedFile(Path input) throws IOException {
    String rewrite = input.getParent().getFileName().toString();
    assertThat(REWRITES).as("a rewrite named %s", rewrite).containsKey(rewrite);
    Path expectedFile = input.resolveSibling(input.getFileName().toString().replace(".in.json", ".expected.json"));
    assertThat(expectedFile).exists();
    Object actual = REWRITES.get(rewrite).apply(Json.decodeValue(Files.readString(input)));
    Object expected = Json.decodeValue(Files.readString(expectedFile));
    // Compared as re-parsed JSON so that number types (int or long) do not matter, only values.
    assertThat(Json.decodeValue(Json.encode(actual))).as(input.toString()).isEqualTo(expected);
  }

  @Test
  void everyRewrite_hasAtLeastOneGoldenCase() throws Exception {
    try (Stream<Path> dirs = Files.list(golden())) {
      assertThat(dirs.map(d -> d.getFileName().toString())).containsExactlyInAnyOrderElementsOf(REWRITES.keySet());
    }
  }
}
