package io.portcullis.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.auth.ca.CertificateAuthority;
import io.portcullis.auth.ca.KeyType;
import io.portcullis.auth.ca.Pem;
import io.portcullis.auth.ca.Role;
import io.portcullis.auth.store.TenantStore;
import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.IdentifyRequest;
import io.portcullis.contracts.Tenant;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Who a connection is, with a real CA and tenant store in a temporary state directory. */
class IdentifierTest {
  @TempDir
  Path state;
  @TempDir
  Path bundles;
  private Onboarding onboarding;

  @BeforeEach
  void init() throws Exception {
    onboarding = new Onboarding(state);
    onboarding.init(List.of("localhost"), List.of("127.0.0.1"));
  }

  private Identifier identifier(Clock clock) throws Exception {
    AuthConfig config = AuthConfig.fromJson(new JsonObject().put("plaintextTenant", "team-a").put("stateDir", state.toString()));
    return new Identifier(config, new CertificateVerifier(CertificateAuthority.load(state), TenantStore.open(state), clock));
  }

  private Identifier identifier() throws Exception {
    return identifier(Clock.systemUTC());
  }

  private static IdentifyRequest tls(X509Certificate cert) throws Exception {
    return IdentifyRequest.tls("127.0.0.1:4000", "fp", List.of(Base64.getEncoder().encodeToString(cert.getEncoded())));
  }

  private X509Certificate bundleCert(String tenant) throws Exception {
    return Pem.readCertificate(Files.readString(bundles.resolve(tenant).resolve("cert.pem")));
  }

  @Test
  void plaintextConnection_actsAsTheConfiguredTenant() throws Exception {
    assertThat(identifier().identify(IdentifyRequest.plaintext("127.0.0.1:51234"))).isEqualTo(new Tenant("team-a"));
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void certificateIssuedByOurCa_namesTheTenant_forEveryKeyType(KeyType keyType) throws Exception {
    onboarding.addTenant("alice", Role.TENANT, bundles.resolve("alice"), keyType);
    Tenant tenant = identifier().identify(tls(bundleCert("alice")));
    assertThat(tenant).isEqualTo(new Tenant("alice", "tenant"));
  }

  @Test
  void adminCertificate_carriesTheAdminRole() throws Exception {
    onboarding.addTenant("ops", Role.ADMIN, bundles.resolve("ops"), KeyType.EC);
    assertThat(identifier().identify(tls(bundleCert("ops"))).isAdmin()).isTrue();
  }

  @Test
  void bundleKey_isWrittenOwnerOnly() throws Exception {
    onboarding.addTenant("alice", Role.TENANT, bundles.resolve("alice"), KeyType.EC);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bundles.resolve("alice").resolve("key.pem")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(CertificateAuthority.keyPath(state)))).isEqualTo("rw-------");
  }

  @Test
  void certificateFromAnotherCaWithTheSameName_isRefused() throws Exception {
    Path otherState = Files.createTempDirectory(bundles, "other");
    Onboarding other = new Onboarding(otherState);
    other.init(List.of("localhost"), List.of());
    onboarding.addTenant("alice", Role.TENANT, bundles.resolve("alice"), KeyType.EC);
    other.addTenant("alice", Role.TENANT, bundles.resolve("forged"), KeyType.EC);
    X509Certificate forged = Pem.readCertificate(Files.readString(bundles.resolve("forged").resolve("cert.pem")));
    assertThatThrownBy(() -> identifier().identify(tls(forged)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageContaining("signature does not verify");
  }

  @Test
  void expiredCertificate_isRefusedSayingExpired() throws Exception {
    onboarding.addTenant("alice", Role.TENANT, bundles.resolve("alice"), KeyType.EC);
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(900)), ZoneOffset.UTC);
    assertThatThrownBy(() -> identifier(later).identify(tls(bundleCert("alice"))))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageContaining("expired");
  }

  @Test
  void revokedCertificate_isRefused_whileANewOneForTheSameTenantWorks() throws Exception {
    String serial = onboarding.addTenant("alice", Role.TENANT, bundles.resolve("alice"), KeyType.EC);
    X509Certificate old = bundleCert("alice");
    onboarding.revokeSerial(serial);
    onboarding.addTenant("alice", Role.TENANT, bundles.resolve("alice"), KeyType.EC);
    Identifier identifier = identifier();
    assertThatThrownBy(() -> identifier.identify(tls(old)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403))
        .hasMessageContaining("revoked");
    assertThat(identifier.identify(tls(bundleCert("alice"))).id()).isEqualTo("alice");
  }

  @Test
  void removedTenant_isRefused() throws Exception {
    onboarding.addTenant("alice", Role.TENANT, bundles.resolve("alice"), KeyType.EC);
    onboarding.removeTenant("alice");
    assertThatThrownBy(() -> identifier().identify(tls(bundleCert("alice"))))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403))
        .hasMessageContaining("not registered");
  }

  @Test
  void tlsWithoutCertificate_andUnknownTransports_areRefusedWith401() throws Exception {
    Identifier identifier = identifier();
    assertThatThrownBy(() -> identifier.identify(IdentifyRequest.tls("127.0.0.1:1", null, List.of())))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThatThrownBy(() -> identifier.identify(new IdentifyRequest("PLAINTEXT", "127.0.0.1:1", null, null)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThatThrownBy(() -> identifier.identify(IdentifyRequest.tls("127.0.0.1:1", null, List.of("bm90IGEgY2VydA=="))))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageContaining("cannot be parsed");
  }

  @Test
  void identifyRequest_roundTripsOverTheWire() throws Exception {
    onboarding.addTenant("alice", Role.TENANT, bundles.resolve("alice"), KeyType.EC);
    JsonObject wire = tls(bundleCert("alice")).toJson();
    assertThat(identifier().identify(IdentifyRequest.fromJson(wire)).id()).isEqualTo("alice");
  }

  // --- registered public keys: self-signed client certificates ---

  private static X509Certificate selfSigned(java.security.KeyPair subjectKey, java.security.PrivateKey signingKey,
      java.security.PublicKey signerPublic, Instant from, Instant to) throws Exception {
    org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=someone");
    var builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.valueOf(System.nanoTime()),
        java.util.Date.from(from), java.util.Date.from(to), name, subjectKey.getPublic());
    var signer = new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(KeyType.signatureAlgorithm(signerPublic)).build(signingKey);
    return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static X509Certificate selfSigned(java.security.KeyPair key) throws Exception {
    return selfSigned(key, key.getPrivate(), key.getPublic(), Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)));
  }

  private static String openSshLine(java.security.PublicKey key) throws Exception {
    var param = org.bouncycastle.crypto.util.PublicKeyFactory.createKey(key.getEncoded());
    byte[] blob = org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil.encodePublicKey(param);
    String type = key.getAlgorithm().equals("RSA") ? "ssh-rsa" : key.getAlgorithm().startsWith("Ed") ? "ssh-ed25519" : "ecdsa-sha2-nistp256";
    return type + " " + Base64.getEncoder().encodeToString(blob) + " someone@laptop";
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void selfSignedCertificate_ofAnOpenSshRegisteredKey_namesItsTenant(KeyType keyType) throws Exception {
    onboarding.registerTenant("bob", Role.TENANT);
    java.security.KeyPair key = keyType.generate();
    onboarding.addKey("bob", openSshLine(key.getPublic()), "");
    assertThat(identifier().identify(tls(selfSigned(key)))).isEqualTo(new Tenant("bob", "tenant"));
  }

  @Test
  void selfSignedCertificate_ofAPemRegisteredKey_namesItsTenant() throws Exception {
    onboarding.registerTenant("carol", Role.TENANT);
    java.security.KeyPair key = KeyType.EC.generate();
    onboarding.addKey("carol", Pem.encode(key.getPublic()), "laptop");
    assertThat(identifier().identify(tls(selfSigned(key))).id()).isEqualTo("carol");
  }

  @Test
  void selfSignedCertificate_ofAnUnregisteredKey_isRefused() throws Exception {
    assertThatThrownBy(() -> identifier().identify(tls(selfSigned(KeyType.EC.generate()))))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageContaining("is not registered");
  }

  @Test
  void certificateCarryingARegisteredKey_butSignedByAnother_isRefused() throws Exception {
    onboarding.registerTenant("bob", Role.TENANT);
    java.security.KeyPair victim = KeyType.EC.generate();
    java.security.KeyPair attacker = KeyType.EC.generate();
    onboarding.addKey("bob", openSshLine(victim.getPublic()), "");
    X509Certificate forged = selfSigned(victim, attacker.getPrivate(), attacker.getPublic(),
        Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)));
    assertThatThrownBy(() -> identifier().identify(tls(forged)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageContaining("signature does not verify");
  }

  @Test
  void expiredSelfSignedCertificate_ofARegisteredKey_isRefused() throws Exception {
    onboarding.registerTenant("bob", Role.TENANT);
    java.security.KeyPair key = KeyType.EC.generate();
    onboarding.addKey("bob", openSshLine(key.getPublic()), "");
    X509Certificate expired = selfSigned(key, key.getPrivate(), key.getPublic(),
        Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(1)));
    assertThatThrownBy(() -> identifier().identify(tls(expired)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageContaining("expired");
  }

  @Test
  void removedKey_isRefused_andAKeyBelongsToOneTenantOnly() throws Exception {
    onboarding.registerTenant("bob", Role.TENANT);
    onboarding.registerTenant("eve", Role.TENANT);
    java.security.KeyPair key = KeyType.ED25519.generate();
    String fingerprint = onboarding.addKey("bob", openSshLine(key.getPublic()), "");
    assertThatThrownBy(() -> onboarding.addKey("eve", openSshLine(key.getPublic()), ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another tenant");
    assertThat(onboarding.removeKey("bob", fingerprint.substring(0, 12))).isTrue();
    assertThatThrownBy(() -> identifier().identify(tls(selfSigned(key))))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @Test
  void garbageKeys_areRefusedWithAReason() {
    assertThatThrownBy(() -> onboarding.addKey("nobody", "ssh-dss AAAAB3NzaC1kc3M= x", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ssh-rsa");
    assertThatThrownBy(() -> onboarding.addKey("nobody", "ssh-ed25519 !!!notbase64", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void revocation_byTheSerialAsOpensslPrintsIt_refusesTheCertificate() throws Exception {
    onboarding.addTenant("alice", Role.TENANT, bundles.resolve("alice"), KeyType.EC);
    X509Certificate cert = bundleCert("alice");
    // openssl x509 -serial prints whole bytes, upper case, with any leading zero nibble.
    String opensslStyle = org.bouncycastle.util.encoders.Hex.toHexString(cert.getSerialNumber().toByteArray()).toUpperCase();
    onboarding.revokeSerial("00" + opensslStyle);
    assertThatThrownBy(() -> identifier().identify(tls(cert)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
  }

  @Test
  void storeLoads_countChangesWhoeverReadThem() throws Exception {
    TenantStore store = TenantStore.open(state);
    long before = store.loads();
    Thread.sleep(10);
    onboarding.registerTenant("late", Role.TENANT);
    assertThat(store.reloadIfChanged()).isTrue();
    assertThat(store.reloadIfChanged()).isFalse();
    assertThat(store.loads()).isEqualTo(before + 1);
  }
}
