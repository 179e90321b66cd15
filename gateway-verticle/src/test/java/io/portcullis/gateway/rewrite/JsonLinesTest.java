package io.portcullis.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A stream of JSON lines through a rewrite that keeps only lines with "keep": true (as a tenant's view would). */
class JsonLinesTest {
  private final JsonLines lines = new JsonLines(json -> Boolean.TRUE.equals(json.getValue("keep")) ? json.put("seen", 1) : null);
  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

  private String feed(String text) {
    ByteBuf out = lines.apply(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), alloc);
    try {
      return out.toString(StandardCharsets.UTF_8);
    } finally {
      out.release();
    }
  }

  @Test
  void linesAreRewrittenOrDropped_andASplitLineWaitsForItsEnd() {
    assertThat(feed("{\"keep\":true,\"n\":1}\n{\"keep\":false,\"n\":2}\n{\"keep\":tr")).isEqualTo("{\"keep\":true,\"n\":1,\"seen\":1}\n");
    assertThat(feed("ue,\"n\":3}\n")).isEqualTo("{\"keep\":true,\"n\":3,\"seen\":1}\n");
  }

  @Test
  void aLineThatIsNotJson_isDropped_notPassedOn() {
    assertThat(feed("not json at all\n{\"keep\":true}\n")).isEqualTo("{\"keep\":true,\"seen\":1}\n");
  }

  @Test
  void aLineLongerThanTheLimit_isDroppedToItsNewline_evenOverManyChunks() {
    StringBuilder other = new StringBuilder("{\"keep\":false,\"label\":\"");
    String piece = "\\u003c".repeat(1 << 16);
    assertThat(feed(other.toString())).isEmpty();
    int fed = other.length();
    while (fed <= JsonLines.MAX_LINE_BYTES + piece.length()) {
      assertThat(feed(piece)).as("nothing of the long line passes").isEmpty();
      fed += piece.length();
    }
    // Its end, then a line of the tenant's in the same chunk: only that one passes.
    assertThat(feed("\",\"keep\":true}\n{\"keep\":true,\"n\":9}\n")).isEqualTo("{\"keep\":true,\"n\":9,\"seen\":1}\n");
    ByteBuf rest = lines.finish(alloc);
    assertThat(rest.readableBytes()).isZero();
    rest.release();
  }

  @Test
  void aLastLineWithoutNewline_comesOutAtTheEnd_withoutOne() {
    assertThat(feed("{\"keep\":true,\"n\":5}")).isEmpty();
    ByteBuf rest = lines.finish(alloc);
    assertThat(rest.toString(StandardCharsets.UTF_8)).isEqualTo("{\"keep\":true,\"n\":5,\"seen\":1}");
    rest.release();
  }
}
