package io.portcullis.auth.ca;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;

/** Key algorithms for certificates the CA creates keys for. */
public enum KeyType {
  EC, RSA, ED25519;

  public static KeyType parse(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT).replace("-", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown key type " + name + " (ec, rsa or ed25519)");
    }
  }

  public KeyPair generate() {
    try {
      switch (this) {
        case RSA: {
          KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
          g.initialize(3072);
          return g.generateKeyPair();
        }
        case ED25519:
          return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        case EC:
        default: {
          KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
          g.initialize(new ECGenParameterSpec("secp256r1"));
          return g.generateKeyPair();
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + this + " key", e);
    }
  }

  /** The JCA signature algorithm a key of this algorithm signs certificates with. */
  public static String signatureAlgorithm(java.security.PublicKey key) {
    switch (key.getAlgorithm()) {
      case "RSA":
        return "SHA256withRSA";
      case "Ed25519":
      case "EdDSA":
        return "Ed25519";
      default:
        return "SHA256withECDSA";
    }
  }
}
