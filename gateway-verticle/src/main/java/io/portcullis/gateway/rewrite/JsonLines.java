package io.portcullis.gateway.rewrite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * Rewrites a stream of newline-delimited JSON objects (the daemon's {@code /events}, {@code stats}) as
 * it flows: each complete line is parsed, rewritten and passed on at once; a line split across chunks
 * waits for its end. Nothing passes unread: a line that is not a JSON object, that the rewrite drops,
 * or that is longer than {@link #MAX_LINE_BYTES} (the daemon escapes a label of 1 MiB of {@code <}
 * into 6 MiB) is left out, up to its newline.
 */
public final class JsonLines {
  static final int MAX_LINE_BYTES = 8 << 20;

  private final UnaryOperator<JsonObject> rewrite;
  private ByteBuf partial;
  /** In the middle of a line too long to hold: its bytes are dropped up to the next newline. */
  private boolean skipping;

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
    ByteBuf out = alloc.buffer(Math.min(input.readableBytes(), 64 << 10) + 64);
    try {
      int newline;
      while ((newline = input.indexOf(input.readerIndex(), input.writerIndex(), (byte) '\n')) >= 0) {
        ByteBuf line = input.readSlice(newline - input.readerIndex());
        input.skipBytes(1);
        if (skipping) {
          skipping = false;
        } else {
          writeLine(line, out);
        }
      }
      if (input.isReadable() && !skipping) {
        if (input.readableBytes() > MAX_LINE_BYTES) {
          skipping = true;
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
