package io.portcullis.gateway.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class OwnershipTest {

  private static JsonObject filtersOf(String target) {
    return new JsonObject(new QueryStringDecoder(target).parameters().get("filters").get(0));
  }

  @Test
  void stamp_setsTheOwnerLabel_overwritingOneTheTenantSupplied() {
    JsonObject body = new JsonObject().put("Image", "busybox").put("Labels", new JsonObject().put("app", "web").put(Ownership.LABEL, "mallory"));
    JsonObject stamped = Ownership.stamp(body, "alice");
    assertThat(stamped.getJsonObject("Labels").getString(Ownership.LABEL)).isEqualTo("alice");
    assertThat(stamped.getJsonObject("Labels").getString("app")).isEqualTo("web");
    assertThat(Ownership.stamp(new JsonObject(), "bob").getJsonObject("Labels").getString(Ownership.LABEL)).isEqualTo("bob");
  }

  @Test
  void scopeFilters_addsTheOwnerLabel_toATargetWithoutFilters_keepingOtherParameters() {
    String scoped = Ownership.scopeFilters("/v1.41/containers/json?all=1&limit=5", "alice");
    assertThat(new QueryStringDecoder(scoped).path()).isEqualTo("/v1.41/containers/json");
    assertThat(new QueryStringDecoder(scoped).parameters().get("all")).containsExactly("1");
    assertThat(filtersOf(scoped).getJsonArray("label")).containsExactly(Ownership.LABEL + "=alice");
  }

  @Test
  void scopeFilters_readsBothJsonEncodings_andCombinesWithTheTenantsOwnFilters() {
    String arrays = "/containers/json?filters=" + java.net.URLEncoder.encode("{\"label\":[\"app=web\"],\"status\":[\"running\"]}", java.nio.charset.StandardCharsets.UTF_8);
    JsonObject a = filtersOf(Ownership.scopeFilters(arrays, "alice"));
    assertThat(a.getJsonArray("label")).containsExactly("app=web", Ownership.LABEL + "=alice");
    assertThat(a.getJsonArray("status")).containsExactly("running");
    String maps = "/containers/json?filters=" + java.net.URLEncoder.encode("{\"label\":{\"app=web\":true,\"off=1\":false}}", java.nio.charset.StandardCharsets.UTF_8);
    assertThat(filtersOf(Ownership.scopeFilters(maps, "alice")).getJsonArray("label")).containsExactly("app=web", Ownership.LABEL + "=alice");
  }

  @Test
  void scopeFilters_dropsAnOwnerLabelFilterTheTenantInjected() {
    String injected = "/containers/json?filters=" + java.net.URLEncoder.encode("{\"label\":[\"" + Ownership.LABEL + "=bob\"]}", java.nio.charset.StandardCharsets.UTF_8);
    assertThat(filtersOf(Ownership.scopeFilters(injected, "alice")).getJsonArray("label")).isEqualTo(new JsonArray().add(Ownership.LABEL + "=alice"));
  }

  @Test
  void scopeFilters_refusesMalformedFilters() {
    assertThatThrownBy(() -> Ownership.scopeFilters("/containers/json?filters=%7Bnot-json", "alice")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ownership.scopeFilters("/containers/json?filters=" + java.net.URLEncoder.encode("{\"label\":\"x\"}", java.nio.charset.StandardCharsets.UTF_8), "alice"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void containerCalls_areForwardedWithTheCheckedPathAndTheFullId() {
    String id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    assertThat(Ownership.targetWithObject("1.41", "/containers/web/logs", "/v1.41/containers/web/logs?follow=1&stdout=1", id))
        .isEqualTo("/v1.41/containers/" + id + "/logs?follow=1&stdout=1");
    assertThat(Ownership.targetWithObject(null, "/containers/web", "/containers/mine/../web?force=1", id))
        .isEqualTo("/containers/" + id + "?force=1");
    assertThat(Ownership.targetWithObject("1.41", "/containers/web/archive", "/v1.41/containers/web/archive?path=%2Fetc%2Fpasswd", id))
        .isEqualTo("/v1.41/containers/" + id + "/archive?path=%2Fetc%2Fpasswd");
  }
}
