package io.portcullis.app.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain TCP connection for speaking HTTP/1.1 by hand, byte for byte, as odd clients do. */
final class RawConnection implements AutoCloseable {
  final Socket socket;
  final InputStream in;

  RawConnection(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(20_000);
    in = socket.getInputStream();
  }

  RawConnection send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawConnection send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads a response head up to the blank line, and nothing more. */
  String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed inside the response head: " + head);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  byte[] readExactly(int n) throws IOException {
    return in.readNBytes(n);
  }

  /** Reads until the peer closes its side. */
  byte[] readToEnd() throws IOException {
    return in.readAllBytes();
  }

  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** Docker's multiplexed stream: 8-byte frame headers (stream, 0, 0, 0, size32) before each payload. */
  static String demultiplex(byte[] raw, int wantedStream) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i + 8 <= raw.length) {
      int stream = raw[i];
      int size = ((raw[i + 4] & 0xff) << 24) | ((raw[i + 5] & 0xff) << 16) | ((raw[i + 6] & 0xff) << 8) | (raw[i + 7] & 0xff);
      int end = Math.min(raw.length, i + 8 + size);
      if (stream == wantedStream) {
        out.append(new String(raw, i + 8, end - i - 8, StandardCharsets.UTF_8));
      }
      i = end;
    }
    return out.toString();
  }
}
