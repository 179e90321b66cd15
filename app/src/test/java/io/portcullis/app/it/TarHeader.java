package io.portcullis.app.it;

import java.nio.charset.StandardCharsets;

/** The 512-byte ustar header of one regular file, so a test can stream a tar it has not finished. */
final class TarHeader {
  private TarHeader() {}

  static byte[] ofFile(String name, long size) {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, "0000644\0");
    put(h, 108, "0000000\0");
    put(h, 116, "0000000\0");
    put(h, 124, String.format("%011o\0", size));
    put(h, 136, String.format("%011o\0", System.currentTimeMillis() / 1000));
    put(h, 148, "        ");
    h[156] = '0';
    put(h, 257, "ustar\0");
    put(h, 263, "00");
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o\0 ", sum));
    return h;
  }

  private static void put(byte[] header, int at, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, at, bytes.length);
  }
}
