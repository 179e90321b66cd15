package io.portcullis.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ConfigMaskTest {
  @Test
  void secretNames_andPemTexts_areMasked_atAnyDepth_andTheRestIsKept() {
    JsonObject config = new JsonObject()
        .put("edge", new JsonObject().put("tlsPort", 2376).put("tlsKeyPath", "/s/key.pem").put("tlsCertPath", "/s/cert.pem"))
        .put("registry", new JsonObject().put("hosts", new JsonArray().add(new JsonObject().put("name", "h1")
            .put("tls", new JsonObject().put("ca", "-----BEGIN CERTIFICATE-----\nMII...").put("keyFile", "/k").put("cert", "plain")))))
        .put("cluster", new JsonObject().put("Password", "hunter2").put("apiToken", new JsonObject().put("x", 1)).put("clientSecret", "s"))
        .put("nothing", (Object) null);
    JsonObject masked = ConfigMask.masked(config);
    assertThat(masked.getJsonObject("edge").getString("tlsKeyPath")).isEqualTo("***");
    assertThat(masked.getJsonObject("edge").getString("tlsCertPath")).isEqualTo("/s/cert.pem");
    assertThat(masked.getJsonObject("edge").getInteger("tlsPort")).isEqualTo(2376);
    JsonObject tls = masked.getJsonObject("registry").getJsonArray("hosts").getJsonObject(0).getJsonObject("tls");
    assertThat(tls.getString("ca")).as("PEM text, whatever its key").isEqualTo("***");
    assertThat(tls.getString("keyFile")).isEqualTo("***");
    assertThat(tls.getString("cert")).isEqualTo("plain");
    assertThat(masked.getJsonObject("cluster").getString("Password")).isEqualTo("***");
    assertThat(masked.getJsonObject("cluster").getValue("apiToken")).as("a whole secret object").isEqualTo("***");
    assertThat(masked.getJsonObject("cluster").getString("clientSecret")).isEqualTo("***");
    assertThat(masked.containsKey("nothing")).isTrue();
    assertThat(config.getJsonObject("edge").getString("tlsKeyPath")).as("the original is untouched").isEqualTo("/s/key.pem");
  }
}
