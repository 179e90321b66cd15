package io.portcullis.gateway.rewrite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * Rewrites a stream of newline-delimited JSON objects (the daemon's {@code /events}) as it flows: each
 * complete line is parsed, rewritten and passed on at once; a line split across chunks waits for its
 * end. A line that is not a JSON object is passed on unchanged rather than dropped.
 */
public final class JsonLines {
  private static final int MAX_LINE_BYTES = 1 << 20;

  private final UnaryOperator<JsonObject> rewrite;
  private ByteBuf partial;

  public JsonLines(UnaryOperator<JsonObject> rewrite) {
    this.rewrite = rewrite;
  }

  /** The rewritten complete lines of what arrived so far; takes ownership of {@code chunk}. */
  public ByteBuf apply(ByteBuf chunk, ByteBufAllocator alloc) {
    ByteBuf input = chunk;
    if (partial != null) {
      input = alloc.compositeBuffer(2).addComponents(true, partial, chunk);
      partial = null;
    }
    ByteBuf out = alloc.buffer(input.readableBytes() + 64);
    try {
      int newline;
      while ((newline = input.indexOf(input.readerIndex(), input.writerIndex(), (byte) '\n')) >= 0) {
        ByteBuf line = input.readSlice(newline - input.readerIndex());
        input.skipBytes(1);
        writeLine(line, out);
      }
      if (input.isReadable()) {
        if (input.readableBytes() > MAX_LINE_BYTES) {
          // Not an event stream we understand: pass it on rather than hold it without bound.
          out.writeBytes(input);
        } else {
          partial = alloc.buffer(input.readableBytes()).writeBytes(input);
        }
      }
      return out;
    } finally {
      input.release();
    }
  }

  /** What is left at the end of the stream (a last line without its newline). */
  public ByteBuf finish(ByteBufAllocator alloc) {
    ByteBuf out = alloc.buffer();
    if (partial != null) {
      ByteBuf rest = partial;
      partial = null;
      try {
        ByteBuf line = rest.readSlice(rest.readableBytes());
        writeLine(line, out);
        if (out.writerIndex() > 0) {
          // The stream's last line had no newline: none is added to it.
          out.writerIndex(out.writerIndex() - 1);
        }
      } finally {
        rest.release();
      }
    }
    return out;
  }

  /** Drops what is held (the stream ended abnormally). */
  public void discard() {
    if (partial != null) {
      partial.release();
      partial = null;
    }
  }

  /**
   * A line goes out rewritten, or not at all: a line the rewrite drops (null), cannot read, or fails
   * on is left out rather than passed on as the daemon sent it, since it may be another tenant's.
   * Blank lines (keep-alive newlines) pass.
   */
  private void writeLine(ByteBuf line, ByteBuf out) {
    String text = line.toString(StandardCharsets.UTF_8);
    if (text.isBlank()) {
      out.writeBytes(line, line.readerIndex(), line.readableBytes());
      out.writeByte('\n');
      return;
    }
    JsonObject rewritten;
    try {
      rewritten = rewrite.apply(new JsonObject(text));
    } catch (RuntimeException e) {
      rewritten = null;
    }
    if (rewritten != null) {
      out.writeCharSequence(rewritten.encode(), StandardCharsets.UTF_8);
      out.writeByte('\n');
    }
  }

}
