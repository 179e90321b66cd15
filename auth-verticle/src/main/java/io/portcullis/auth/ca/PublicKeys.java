package io.portcullis.auth.ca;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Public keys a tenant registers: PEM ({@code -----BEGIN PUBLIC KEY-----}) or one OpenSSH line
 * ({@code ssh-rsa}, {@code ecdsa-sha2-nistp256}, {@code ssh-ed25519}). A key is known by the SHA-256
 * of its SubjectPublicKeyInfo, the same whichever way it was written.
 */
public final class PublicKeys {
  private PublicKeys() {}

  /** A parsed key and the comment of its OpenSSH line, if any. */
  public record Parsed(PublicKey key, String comment) {}

  public static Parsed parse(String text) {
    String trimmed = text.trim();
    if (trimmed.startsWith("-----BEGIN PUBLIC KEY-----")) {
      Object object = Pem.parse(trimmed);
      if (!(object instanceof SubjectPublicKeyInfo info)) {
        throw new IllegalArgumentException("not a PEM public key");
      }
      return new Parsed(toJca(info), "");
    }
    String[] parts = trimmed.split("\\s+", 3);
    if (parts.length < 2 || !(parts[0].equals("ssh-rsa") || parts[0].equals("ecdsa-sha2-nistp256") || parts[0].equals("ssh-ed25519"))) {
      throw new IllegalArgumentException("not a public key: expected PEM, or an OpenSSH ssh-rsa, ecdsa-sha2-nistp256 or ssh-ed25519 line");
    }
    try {
      AsymmetricKeyParameter param = OpenSSHPublicKeyUtil.parsePublicKey(Base64.getDecoder().decode(parts[1]));
      return new Parsed(toJca(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(param)), parts.length > 2 ? parts[2] : "");
    } catch (IllegalArgumentException | IllegalStateException | IOException e) {
      throw new IllegalArgumentException("invalid OpenSSH public key: " + e.getMessage());
    }
  }

  /** Hex SHA-256 of the key's SubjectPublicKeyInfo DER. */
  public static String fingerprint(PublicKey key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PublicKey toJca(SubjectPublicKeyInfo info) {
    try {
      return new JcaPEMKeyConverter().getPublicKey(info);
    } catch (IOException e) {
      throw new IllegalArgumentException("unsupported public key: " + e.getMessage());
    }
  }
}
