package io.portcullis.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class AuditLineTest {
  @Test
  void isJson_whateverTheStringsHold() {
    String hostile = "a\"b\\c\nd\re\tf\u0001g\u2028h/é";
    String line = new AuditLine().time("time", 0).text("path", hostile).text("none", null).number("n", -5).end();
    JsonObject parsed = new JsonObject(line);
    assertThat(parsed.getString("time")).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(parsed.getString("path")).isEqualTo(hostile);
    assertThat(parsed.containsKey("none")).isTrue();
    assertThat(parsed.getValue("none")).isNull();
    assertThat(parsed.getLong("n")).isEqualTo(-5);
    assertThat(line).doesNotContain("\n");
  }
}
