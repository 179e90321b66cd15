package io.portcullis.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class NodeRolesTest {
  private static JsonObject roles(Object value) {
    return new JsonObject().put("node", new JsonObject().put("roles", value));
  }

  @Test
  void everyRole_byDefault() {
    assertThat(NodeRoles.fromConfig(new JsonObject())).isEqualTo(EnumSet.allOf(NodeRoles.class));
  }

  @Test
  void aSubset_asListed_caseAndSpacesIgnored() {
    assertThat(NodeRoles.fromConfig(roles(new JsonArray().add("Edge").add(" admin ")))).containsExactlyInAnyOrder(NodeRoles.EDGE, NodeRoles.ADMIN);
  }

  @Test
  void unknownOrEmptyRoles_nameTheKey() {
    assertThatThrownBy(() -> NodeRoles.fromConfig(roles(new JsonArray().add("edge").add("scheduler"))))
        .hasMessageContaining("node.roles").hasMessageContaining("scheduler");
    assertThatThrownBy(() -> NodeRoles.fromConfig(roles(new JsonArray()))).hasMessageContaining("node.roles");
    assertThatThrownBy(() -> NodeRoles.fromConfig(roles("edge"))).hasMessageContaining("node.roles");
  }
}
