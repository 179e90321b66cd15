package io.portcullis.gateway.edge;

import io.netty.buffer.ByteBuf;

/**
 * Finds obsolete line folding (a header line that begins with a space or a tab, RFC 9112 section 5.2)
 * in request heads, which Netty's decoder silently joins onto the previous header. A front end that
 * joins and a back end that does not read different headers from the same bytes ({@code X-A: 1\r\n
 * Transfer-Encoding: chunked} folded or not), so the edge refuses such a request with a 400, as the RFC
 * allows, before the decoder sees it.
 *
 * <p>It reads the raw bytes ahead of the decoder, only within a head: it is told where a head begins
 * ({@link #headStarts()}, after each request's last content) and stops at the blank line that ends the
 * head. Positions are kept relative to the buffer's reader index, which the decoder moves as it consumes
 * whole lines, so a head arriving a byte at a time is still read once only.
 */
final class ObsFoldScanner {
  private boolean inHead = true;
  /** Bytes past the reader index already read. */
  private int scannedAhead;
  /** Whether a non-empty first line (the request line) has been read in this head. */
  private boolean pastRequestLine;
  /** Bytes of the current line so far, a CR not counted. */
  private int lineLength;

  /** The next byte is the first of a new request head. */
  void headStarts() {
    inHead = true;
    scannedAhead = 0;
    pastRequestLine = false;
    lineLength = 0;
  }

  /**
   * Reads what arrived since the last call; true if a header line of the current head is folded.
   * Call before the decoder consumes anything of {@code buffer}.
   */
  boolean folded(ByteBuf buffer) {
    if (!inHead) {
      return false;
    }
    int start = buffer.readerIndex() + scannedAhead;
    int end = buffer.writerIndex();
    for (int i = start; i < end; i++) {
      byte b = buffer.getByte(i);
      if (b == '\n') {
        if (lineLength == 0 && pastRequestLine) {
          // The blank line: the head ends here, a body follows.
          inHead = false;
          return false;
        }
        if (lineLength > 0) {
          pastRequestLine = true;
        }
        lineLength = 0;
        continue;
      }
      if (b == '\r') {
        continue;
      }
      if (lineLength == 0 && pastRequestLine && (b == ' ' || b == '\t')) {
        return true;
      }
      lineLength++;
    }
    scannedAhead = end - buffer.readerIndex();
    return false;
  }

  /** The decoder consumed {@code bytes} from the reader index. */
  void consumed(int bytes) {
    scannedAhead = Math.max(0, scannedAhead - bytes);
  }
}
