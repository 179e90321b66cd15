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
}
