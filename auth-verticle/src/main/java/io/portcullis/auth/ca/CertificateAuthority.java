package io.portcullis.auth.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The gateway's own certificate authority: it signs the server certificate tenants verify, and the
 * client certificates that name a tenant (CN) and a role (OU). Its files live in the state directory:
 * {@code ca/ca.pem} and {@code ca/ca-key.pem} (0600).
 */
public final class CertificateAuthority {
  static final Duration CA_VALIDITY = Duration.ofDays(3650);
  static final Duration LEAF_VALIDITY = Duration.ofDays(825);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;

  private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  public static Path certificatePath(Path stateDir) {
    return stateDir.resolve("ca").resolve("ca.pem");
  }

  public static Path keyPath(Path stateDir) {
    return stateDir.resolve("ca").resolve("ca-key.pem");
  }

  public static boolean exists(Path stateDir) {
    return Files.isRegularFile(certificatePath(stateDir)) && Files.isRegularFile(keyPath(stateDir));
  }

  /** Creates a new CA in the state directory; refuses to overwrite one. */
  public static CertificateAuthority create(Path stateDir, String name) throws IOException {
    if (exists(stateDir)) {
      throw new IllegalStateException("a CA already exists in " + stateDir.resolve("ca"));
    }
    KeyPair pair = KeyType.EC.generate();
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).addRDN(BCStyle.O, "Portcullis").build();
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(Duration.ofMinutes(5))),
          Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate cert = sign(builder, pair.getPrivate(), pair.getPublic());
      Pem.writePublic(certificatePath(stateDir), Pem.encode(cert));
      Pem.writePrivate(keyPath(stateDir), Pem.encode(pair.getPrivate()));
      return new CertificateAuthority(cert, pair.getPrivate());
    } catch (Exception e) {
      throw new IOException("cannot create the CA: " + e.getMessage(), e);
    }
  }

  public static CertificateAuthority load(Path stateDir) throws IOException {
    if (!exists(stateDir)) {
      throw new IllegalStateException("no CA in " + stateDir.resolve("ca") + "; run `portcullis init` first");
    }
    X509Certificate cert = Pem.readCertificate(Files.readString(certificatePath(stateDir)));
    PrivateKey key = Pem.readPrivateKey(Files.readString(keyPath(stateDir)));
    return new CertificateAuthority(cert, key);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** A server certificate for the names and IP addresses tenants reach the gateway at. */
  public X509Certificate issueServer(PublicKey publicKey, List<String> dnsNames, List<String> ipAddresses) {
    List<GeneralName> names = new ArrayList<>();
    dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
    for (String ip : ipAddresses) {
      try {
        names.add(new GeneralName(GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress()));
      } catch (IOException e) {
        throw new IllegalArgumentException("not an IP address: " + ip);
      }
    }
    String cn = dnsNames.isEmpty() ? (ipAddresses.isEmpty() ? "portcullis" : ipAddresses.get(0)) : dnsNames.get(0);
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).addRDN(BCStyle.O, "Portcullis").build();
    return issue(subject, publicKey, KeyPurposeId.id_kp_serverAuth,
        new GeneralNames(names.toArray(new GeneralName[0])), KeyUsage.digitalSignature | KeyUsage.keyEncipherment);
  }

  /** A client certificate naming a tenant and its role. */
  public X509Certificate issueClient(PublicKey publicKey, String tenant, Role role) {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, tenant).addRDN(BCStyle.OU, role.wireName()).addRDN(BCStyle.O, "Portcullis").build();
    return issue(subject, publicKey, KeyPurposeId.id_kp_clientAuth, null, KeyUsage.digitalSignature);
  }

  /** Signs a tenant's certificate signing request after checking the request's own signature. */
  public X509Certificate signRequest(PKCS10CertificationRequest csr, String tenant, Role role) {
    try {
      JcaPKCS10CertificationRequest request = new JcaPKCS10CertificationRequest(csr);
      if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(request.getPublicKey()))) {
        throw new IllegalArgumentException("the signing request's signature does not verify");
      }
      return issueClient(request.getPublicKey(), tenant, role);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("invalid signing request: " + e.getMessage());
    }
  }

  private X509Certificate issue(X500Name subject, PublicKey publicKey, KeyPurposeId purpose, GeneralNames altNames, int keyUsage) {
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(LEAF_VALIDITY)), subject, publicKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
      if (altNames != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, altNames);
      }
      return sign(builder, key, certificate.getPublicKey());
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue a certificate: " + e.getMessage(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey, PublicKey signerPublic) throws Exception {
    ContentSigner signer = new JcaContentSignerBuilder(KeyType.signatureAlgorithm(signerPublic)).build(signingKey);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }
}
