package io.portcullis.app.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Raw HTTP/1.1 over mutual TLS with a tenant's bundle, for calls the docker CLI cannot make. */
final class TlsClient {
  private TlsClient() {}

  /** A TLS socket presenting a bundle's certificate, verifying the gateway with the bundle's ca.pem. */
  static javax.net.ssl.SSLSocket connect(Path bundle, int port) throws Exception {
    var key = io.portcullis.auth.ca.Pem.readPrivateKey(Files.readString(bundle.resolve("key.pem")));
    var cert = io.portcullis.auth.ca.Pem.readCertificate(Files.readString(bundle.resolve("cert.pem")));
    var ca = io.portcullis.auth.ca.Pem.readCertificate(Files.readString(bundle.resolve("ca.pem")));
    java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("me", key, new char[0], new java.security.cert.Certificate[] {cert});
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    var kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    var context = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    var socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(20_000);
    socket.startHandshake();
    return socket;
  }

  /** Sends one request with an optional JSON body; returns the status line and the body. */
  static String[] call(javax.net.ssl.SSLSocket socket, String method, String target, String json) throws Exception {
    String body = json == null ? "" : json;
    socket.getOutputStream().write((method + " " + target + " HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
    StringBuilder head = new StringBuilder();
    var in = socket.getInputStream();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("closed: " + head);
      }
      head.append((char) b);
    }
    String length = RawConnection.header(head.toString(), "Content-Length");
    String responseBody = length == null ? "" : new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
    return new String[] {head.toString().split("\r\n")[0], responseBody};
  }
}
