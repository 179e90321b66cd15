package io.portcullis.gateway.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.BackendHost.HostState;
import io.portcullis.gateway.hosts.MergedAnswers.HostAnswer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MergedAnswersTest {
  private static final BackendHost H1 = new BackendHost("h1", "unix:///h1.sock", HostState.UP);
  private static final BackendHost H2 = new BackendHost("h2", "unix:///h2.sock", HostState.UP);
  private static final BackendHost H3 = new BackendHost("h3", "unix:///h3.sock", HostState.DOWN);

  private static List<HostAnswer> answers(String h1, String h2) {
    return List.of(new HostAnswer(H1, io.vertx.core.json.Json.decodeValue(h1)), new HostAnswer(H2, io.vertx.core.json.Json.decodeValue(h2)));
  }

  @Test
  void containers_newestFirstAcrossHosts_andLimitAppliesToAll() {
    List<HostAnswer> answers = answers("[{\"Id\":\"a\",\"Created\":10},{\"Id\":\"c\",\"Created\":30}]", "[{\"Id\":\"b\",\"Created\":20}]");
    JsonArray merged = (JsonArray) MergedAnswers.merge("containers.list", answers, Map.of());
    assertThat(merged.stream().map(o -> ((JsonObject) o).getString("Id")).toList()).containsExactly("c", "b", "a");
    JsonArray limited = (JsonArray) MergedAnswers.merge("containers.list", answers, Map.of("limit", List.of("2")));
    assertThat(limited.stream().map(o -> ((JsonObject) o).getString("Id")).toList()).containsExactly("c", "b");
  }

  @Test
  void networksOnEveryHost_andImagesWithOneTag_areListedOnce() {
    JsonArray networks = (JsonArray) MergedAnswers.merge("networks.list",
        answers("[{\"Id\":\"none-1\",\"Name\":\"none\"},{\"Id\":\"n1\",\"Name\":\"net\"}]", "[{\"Id\":\"none-1\",\"Name\":\"none\"}]"), Map.of());
    assertThat(networks).hasSize(2);
    JsonArray images = (JsonArray) MergedAnswers.merge("images.list", answers(
        "[{\"Id\":\"i1\",\"Created\":1,\"RepoTags\":[\"busybox:local\"]},{\"Id\":\"u1\",\"Created\":5,\"RepoTags\":[]}]",
        "[{\"Id\":\"i2\",\"Created\":2,\"RepoTags\":[\"busybox:local\"]},{\"Id\":\"u2\",\"Created\":6,\"RepoTags\":[]}]"), Map.of());
    assertThat(images.stream().map(o -> ((JsonObject) o).getString("Id")).toList())
        .as("the newest busybox:local once; untagged images each by ID").containsExactly("u2", "u1", "i2");
  }

  @Test
  void volumesAndPrunes_joinListsAndSumSpace() {
    JsonObject volumes = (JsonObject) MergedAnswers.merge("volumes.list",
        answers("{\"Volumes\":[{\"Name\":\"a\"}],\"Warnings\":null}", "{\"Volumes\":[{\"Name\":\"b\"}],\"Warnings\":[\"w\"]}"), Map.of());
    assertThat(volumes.getJsonArray("Volumes")).hasSize(2);
    assertThat(volumes.getJsonArray("Warnings")).containsExactly("w");
    JsonObject pruned = (JsonObject) MergedAnswers.merge("containers.prune",
        answers("{\"ContainersDeleted\":[\"a\"],\"SpaceReclaimed\":5}", "{\"ContainersDeleted\":null,\"SpaceReclaimed\":7}"), Map.of());
    assertThat(pruned.getJsonArray("ContainersDeleted")).containsExactly("a");
    assertThat(pruned.getLong("SpaceReclaimed")).isEqualTo(12);
    JsonObject none = (JsonObject) MergedAnswers.merge("networks.prune", answers("{\"NetworksDeleted\":null}", "{\"NetworksDeleted\":null}"), Map.of());
    assertThat(none.containsKey("NetworksDeleted")).isTrue();
    assertThat(none.getValue("NetworksDeleted")).as("Docker sends null for none").isNull();
    assertThat(none.containsKey("SpaceReclaimed")).isFalse();
  }

  @Test
  void info_sumsCountsAndListsEveryHostWithItsState() {
    List<HostAnswer> answers = answers("{\"Name\":\"portcullis\",\"Containers\":2,\"ContainersRunning\":1,\"NCPU\":2,\"MemTotal\":100}",
        "{\"Name\":\"portcullis\",\"Containers\":3,\"ContainersRunning\":3,\"NCPU\":4,\"MemTotal\":50}");
    JsonObject info = MergedAnswers.info(answers, List.of(H1, H2.withDraining(true), H3));
    assertThat(info.getLong("Containers")).isEqualTo(5);
    assertThat(info.getLong("ContainersRunning")).isEqualTo(4);
    assertThat(info.getLong("NCPU")).isEqualTo(6);
    assertThat(info.getLong("MemTotal")).isEqualTo(150);
    assertThat(info.getString("Name")).isEqualTo("portcullis");
    String status = info.getJsonArray("SystemStatus").encode();
    assertThat(status).contains("[\"Hosts\",\"3\"]", "[\" h1\",\"up\"]", "[\" h2\",\"draining\"]", "[\" h3\",\"down\"]",
        "[\"  └ Containers\",\"unknown\"]");
  }

  @Test
  void systemDf_sumsLayersAndJoinsLists() {
    JsonObject df = (JsonObject) MergedAnswers.merge("system.df", answers(
        "{\"LayersSize\":10,\"Images\":[{\"Id\":\"i1\",\"RepoTags\":[\"x:1\"]}],\"Containers\":[{\"Id\":\"c1\"}],\"Volumes\":[],\"BuildCache\":null}",
        "{\"LayersSize\":5,\"Images\":[{\"Id\":\"i1\",\"RepoTags\":[\"x:1\"]}],\"Containers\":[{\"Id\":\"c2\"}],\"Volumes\":[{\"Name\":\"v\"}]}"), Map.of());
    assertThat(df.getLong("LayersSize")).isEqualTo(15);
    assertThat(df.getJsonArray("Images")).hasSize(1);
    assertThat(df.getJsonArray("Containers")).hasSize(2);
    assertThat(df.getJsonArray("Volumes")).hasSize(1);
  }
}
