package io.portcullis.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestTargetsTest {
  private static JsonObject filters(String target) {
    return new JsonObject(new QueryStringDecoder(target).parameters().get("filters").get(0));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void psBeforeAndSince_nameInTheTenantsNamespace_idsStayAsGiven() {
    String target = RequestTargets.forTenant("containers.list",
        "/containers/json?filters=" + enc("{\"before\":[\"bob.web\"],\"since\":[\"0123456789ab\"]}"), "alice");
    JsonObject f = filters(target);
    assertThat(f.getJsonArray("before").getList()).containsExactly("alice.bob.web");
    assertThat(f.getJsonArray("since").getList()).containsExactly("0123456789ab");
    assertThat(f.getJsonArray("label").getList()).containsExactly("io.portcullis.tenant=alice");
  }

  @Test
  void eventFilters_matchTheTenantsNamesToo() {
    String target = RequestTargets.forTenant("system.events", "/events?filters=" + enc("{\"container\":[\"web\"]}"), "alice");
    assertThat(filters(target).getJsonArray("container").getList()).containsExactly("web", "alice.web");
  }

  @Test
  void psVolumeAndNetworkFilters_matchTheTenantsNames() {
    String target = RequestTargets.forTenant("containers.list",
        "/containers/json?filters=" + enc("{\"volume\":[\"data\"],\"network\":[\"appnet\"]}"), "alice");
    assertThat(filters(target).getJsonArray("volume").getList()).containsExactly("data", "alice.data");
    assertThat(filters(target).getJsonArray("network").getList()).containsExactly("appnet", "alice.appnet");
    assertThat(filters(target).getJsonArray("label").getList()).containsExactly("io.portcullis.tenant=alice");
  }

  @Test
  void createAndRename_nameInTheTenantsNamespace() {
    assertThat(new QueryStringDecoder(RequestTargets.forTenant("containers.create", "/containers/create?name=web", "alice"))
        .parameters().get("name")).containsExactly("alice.web");
    assertThat(new QueryStringDecoder(RequestTargets.forTenant("containers.rename", "/containers/x/rename?name=%2Fnew", "alice"))
        .parameters().get("name")).containsExactly("alice.new");
  }

  @Test
  void buildsCommitsAndImports_carryTheOwner() {
    String build = RequestTargets.forTenant("images.build", "/build?t=app&labels=" + enc("{\"io.portcullis.tenant\":\"bob\",\"a\":\"b\"}"), "alice");
    assertThat(new JsonObject(new QueryStringDecoder(build).parameters().get("labels").get(0)).getMap())
        .containsEntry("io.portcullis.tenant", "alice").containsEntry("a", "b");
    String commit = RequestTargets.forTenant("images.commit", "/commit?container=c&changes=" + enc("CMD [\"x\"]"), "alice");
    assertThat(new QueryStringDecoder(commit).parameters().get("changes"))
        .containsExactly("CMD [\"x\"]", "LABEL io.portcullis.tenant=alice");
  }

  @ParameterizedTest(name = "{0} {1} moves {2}")
  @CsvSource({
      "images.pull, /images/create?fromImage=busybox&tag=1.36, busybox:1.36",
      "images.pull, /images/create?fromImage=busybox, busybox:latest",
      "images.pull, /images/create?fromImage=reg:5000/team/app:2, reg:5000/team/app:2",
      "images.pull, /images/create?fromImage=reg:5000/team/app, reg:5000/team/app:latest",
      "images.pull, /images/create?fromSrc=-&repo=imported&tag=1, imported:1",
      "images.tag, /images/x/tag?repo=app&tag=2, app:2",
      "images.commit, /commit?container=c&repo=app, app",
      "images.build, /build?t=app:1&t=app:latest, app:1",
  })
  void newImageNames_areTheTagsACallWouldMove(String family, String target, String first) {
    List<String> names = RequestTargets.newImageNames(family, target);
    assertThat(names).first().isEqualTo(first);
  }
}
