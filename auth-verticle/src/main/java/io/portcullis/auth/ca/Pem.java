package io.portcullis.auth.ca;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** PEM files in and out. Private keys are written with mode 0600, and atomically. */
public final class Pem {
  private Pem() {}

  /** PEM text of a certificate, or of a private key as PKCS#8 ({@code PRIVATE KEY}), which Go, OpenSSL and Netty all read. */
  public static String encode(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      if (object instanceof PrivateKey key) {
        writer.writeObject(new JcaPKCS8Generator(key, null));
      } else {
        writer.writeObject(object);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode PEM", e);
    }
    return out.toString();
  }

  public static void writePublic(Path file, String pem) throws IOException {
    write(file, pem, "rw-r--r--");
  }

  public static void writePrivate(Path file, String pem) throws IOException {
    write(file, pem, "rw-------");
  }

  private static void write(Path file, String content, String mode) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tmp-", ".pem",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
  }

  public static X509Certificate readCertificate(String pem) {
    Object object = parse(pem);
    if (!(object instanceof X509CertificateHolder holder)) {
      throw new IllegalArgumentException("not a PEM certificate");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("invalid certificate: " + e.getMessage());
    }
  }

  public static PrivateKey readPrivateKey(String pem) {
    Object object = parse(pem);
    try {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (object instanceof PEMKeyPair pair) {
        KeyPair keyPair = converter.getKeyPair(pair);
        return keyPair.getPrivate();
      }
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid private key: " + e.getMessage());
    }
    throw new IllegalArgumentException("not a PEM private key");
  }

  public static PKCS10CertificationRequest readCsr(String pem) {
    Object object = parse(pem);
    if (object instanceof PKCS10CertificationRequest csr) {
      return csr;
    }
    throw new IllegalArgumentException("not a PEM certificate signing request");
  }

  static Object parse(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      if (object == null) {
        throw new IllegalArgumentException("no PEM object found");
      }
      return object;
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid PEM: " + e.getMessage());
    }
  }
}
