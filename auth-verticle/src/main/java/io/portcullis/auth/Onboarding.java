package io.portcullis.auth;

import io.portcullis.auth.ca.CertificateAuthority;
import io.portcullis.auth.ca.KeyType;
import io.portcullis.auth.ca.Pem;
import io.portcullis.auth.ca.PublicKeys;
import io.portcullis.auth.ca.Role;
import io.portcullis.auth.store.TenantStore;
import io.portcullis.auth.store.TenantStore.TenantRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * What the operator's command line does with the state directory: create the CA and the server
 * certificate, add tenants and write their client bundles, sign CSRs, revoke. A running gateway picks
 * the changes up by itself.
 */
public final class Onboarding {
  private final Path stateDir;

  public Onboarding(Path stateDir) {
    this.stateDir = stateDir;
  }

  public static Path serverCertificatePath(Path stateDir) {
    return stateDir.resolve("server").resolve("cert.pem");
  }

  public static Path serverKeyPath(Path stateDir) {
    return stateDir.resolve("server").resolve("key.pem");
  }

  public boolean initialised() {
    return CertificateAuthority.exists(stateDir) && Files.isRegularFile(serverCertificatePath(stateDir));
  }

  /** Creates the CA and a server certificate for the given names and IP addresses. */
  public void init(List<String> dnsNames, List<String> ipAddresses) throws IOException {
    CertificateAuthority ca = CertificateAuthority.create(stateDir, "Portcullis CA");
    issueServerCertificate(ca, dnsNames, ipAddresses);
    TenantStore.open(stateDir);
  }

  /** Replaces the server certificate, for new names or addresses; tenants' bundles stay valid. */
  public void reissueServerCertificate(List<String> dnsNames, List<String> ipAddresses) throws IOException {
    issueServerCertificate(CertificateAuthority.load(stateDir), dnsNames, ipAddresses);
  }

  private void issueServerCertificate(CertificateAuthority ca, List<String> dnsNames, List<String> ipAddresses) throws IOException {
    KeyPair pair = KeyType.EC.generate();
    X509Certificate cert = ca.issueServer(pair.getPublic(), dnsNames, ipAddresses);
    Pem.writePrivate(serverKeyPath(stateDir), Pem.encode(pair.getPrivate()));
    Pem.writePublic(serverCertificatePath(stateDir), Pem.encode(cert) + Pem.encode(ca.certificate()));
  }

  /**
   * Registers a tenant (if new) and writes a client bundle for it: {@code ca.pem}, {@code cert.pem},
   * {@code key.pem} (0600), ready for {@code DOCKER_CERT_PATH}. Returns the certificate's serial (hex).
   */
  public String addTenant(String name, Role role, Path bundleDir, KeyType keyType) throws IOException {
    TenantStore.validateName(name);
    CertificateAuthority ca = CertificateAuthority.load(stateDir);
    TenantStore.open(stateDir).addTenant(name, role.wireName());
    KeyPair pair = keyType.generate();
    X509Certificate cert = ca.issueClient(pair.getPublic(), name, role);
    Files.createDirectories(bundleDir);
    Pem.writePublic(bundleDir.resolve("ca.pem"), Pem.encode(ca.certificate()));
    Pem.writePublic(bundleDir.resolve("cert.pem"), Pem.encode(cert));
    Pem.writePrivate(bundleDir.resolve("key.pem"), Pem.encode(pair.getPrivate()));
    return cert.getSerialNumber().toString(16);
  }

  /** Registers a tenant without issuing anything, for a tenant who will send a CSR. */
  public void registerTenant(String name, Role role) throws IOException {
    TenantStore.open(stateDir).addTenant(name, role.wireName());
  }

  /** Signs a tenant's CSR: the private key never leaves the tenant's machine. */
  public String signRequest(String csrPem, String tenant, Role role, Path certOut) throws IOException {
    TenantStore store = TenantStore.open(stateDir);
    if (store.tenant(tenant) == null) {
      throw new IllegalArgumentException("tenant " + tenant + " is not registered; add it first");
    }
    CertificateAuthority ca = CertificateAuthority.load(stateDir);
    X509Certificate cert = ca.signRequest(Pem.readCsr(csrPem), tenant, role);
    Pem.writePublic(certOut, Pem.encode(cert));
    return cert.getSerialNumber().toString(16);
  }

  /** Registers a public key (PEM or an OpenSSH line) for a tenant; returns its fingerprint. */
  public String addKey(String tenant, String keyText, String comment) throws IOException {
    PublicKeys.Parsed parsed = PublicKeys.parse(keyText);
    String fingerprint = PublicKeys.fingerprint(parsed.key());
    String note = comment != null && !comment.isBlank() ? comment : parsed.comment();
    TenantStore.open(stateDir).addKey(tenant, new TenantStore.KeyRecord(fingerprint,
        java.util.Base64.getEncoder().encodeToString(parsed.key().getEncoded()), note, java.time.Instant.now().toString()));
    return fingerprint;
  }

  public boolean removeKey(String tenant, String fingerprint) throws IOException {
    return TenantStore.open(stateDir).removeKey(tenant, fingerprint);
  }

  public Map<String, TenantRecord> tenants() throws IOException {
    return TenantStore.open(stateDir).tenants();
  }

  public void revokeSerial(String serialHex) throws IOException {
    TenantStore.open(stateDir).revoke(serialHex);
  }

  public boolean removeTenant(String name) throws IOException {
    return TenantStore.open(stateDir).removeTenant(name);
  }

  public Path caCertificatePath() {
    return CertificateAuthority.certificatePath(stateDir);
  }
}
