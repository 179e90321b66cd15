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
  /** A client bundle as PEM text, and its certificate's serial (hex). */
  public record ClientBundle(String caPem, String certPem, String keyPem, String serial) {}

  private final Path stateDir;
  /** The running auth verticle's own store, so that its changes apply there at once; null: the file's. */
  private final TenantStore store;

  public Onboarding(Path stateDir) {
    this(stateDir, null);
  }

  /** Changes go through {@code store} (an open store of {@code stateDir}'s tenants). */
  public Onboarding(Path stateDir, TenantStore store) {
    this.stateDir = stateDir;
    this.store = store;
  }

  private TenantStore store() throws IOException {
    return store != null ? store : TenantStore.open(stateDir);
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
    ClientBundle bundle = issueBundle(name, role, keyType);
    writeBundle(bundle, bundleDir);
    return bundle.serial();
  }

  /** Writes a bundle as {@code DOCKER_CERT_PATH} wants it: {@code ca.pem}, {@code cert.pem}, {@code key.pem} (0600). */
  public static void writeBundle(ClientBundle bundle, Path bundleDir) throws IOException {
    Files.createDirectories(bundleDir);
    Pem.writePublic(bundleDir.resolve("ca.pem"), bundle.caPem());
    Pem.writePublic(bundleDir.resolve("cert.pem"), bundle.certPem());
    Pem.writePrivate(bundleDir.resolve("key.pem"), bundle.keyPem());
  }

  /**
   * Registers a tenant (if new) and issues a client certificate for a key pair made here; the bundle is
   * returned, not written: the private key exists nowhere else.
   */
  public ClientBundle issueBundle(String name, Role role, KeyType keyType) throws IOException {
    TenantStore.validateName(name);
    CertificateAuthority ca = CertificateAuthority.load(stateDir);
    TenantStore tenants = store();
    tenants.addTenant(name, role.wireName());
    KeyPair pair = keyType.generate();
    X509Certificate cert = ca.issueClient(pair.getPublic(), name, role);
    String serial = cert.getSerialNumber().toString(16);
    tenants.recordSerial(name, serial);
    return new ClientBundle(Pem.encode(ca.certificate()), Pem.encode(cert), Pem.encode(pair.getPrivate()), serial);
  }

  /** Registers a tenant without issuing anything, for a tenant who will send a CSR. */
  public void registerTenant(String name, Role role) throws IOException {
    store().addTenant(name, role.wireName());
  }

  /** Signs a tenant's CSR: the private key never leaves the tenant's machine. */
  public String signRequest(String csrPem, String tenant, Role role, Path certOut) throws IOException {
    TenantStore tenants = store();
    if (tenants.tenant(tenant) == null) {
      throw new IllegalArgumentException("tenant " + tenant + " is not registered; add it first");
    }
    CertificateAuthority ca = CertificateAuthority.load(stateDir);
    X509Certificate cert = ca.signRequest(Pem.readCsr(csrPem), tenant, role);
    Pem.writePublic(certOut, Pem.encode(cert));
    String serial = cert.getSerialNumber().toString(16);
    tenants.recordSerial(tenant, serial);
    return serial;
  }

  /** Registers a public key (PEM or an OpenSSH line) for a tenant; returns its fingerprint. */
  public String addKey(String tenant, String keyText, String comment) throws IOException {
    PublicKeys.Parsed parsed = PublicKeys.parse(keyText);
    String fingerprint = PublicKeys.fingerprint(parsed.key());
    String note = comment != null && !comment.isBlank() ? comment : parsed.comment();
    store().addKey(tenant, new TenantStore.KeyRecord(fingerprint,
        java.util.Base64.getEncoder().encodeToString(parsed.key().getEncoded()), note, java.time.Instant.now().toString()));
    return fingerprint;
  }

  public boolean removeKey(String tenant, String fingerprint) throws IOException {
    return store().removeKey(tenant, fingerprint);
  }

  public Map<String, TenantRecord> tenants() throws IOException {
    return store().tenants();
  }

  public void revokeSerial(String serialHex) throws IOException {
    store().revoke(serialHex);
  }

  public boolean removeTenant(String name) throws IOException {
    return store().removeTenant(name);
  }

  /** Revoked certificate serials (hex). */
  public java.util.Set<String> revokedSerials() throws IOException {
    return store().revokedSerials();
  }

  public Path caCertificatePath() {
    return CertificateAuthority.certificatePath(stateDir);
  }
}
