package io.portcullis.auth;

import io.portcullis.auth.ca.CertificateAuthority;
import io.portcullis.auth.ca.PublicKeys;
import io.portcullis.auth.ca.Role;
import io.portcullis.auth.store.TenantStore;
import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.Tenant;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Decides whether a client certificate is a tenant's: issued by this gateway's CA (signature checked
 * against the CA's key), within its validity dates, not revoked, and naming a registered tenant.
 */
final class CertificateVerifier {
  private final CertificateAuthority ca;
  private final TenantStore store;
  private final Clock clock;

  CertificateVerifier(CertificateAuthority ca, TenantStore store, Clock clock) {
    this.ca = ca;
    this.store = store;
    this.clock = clock;
  }

  Tenant verify(X509Certificate leaf) {
    if (!leaf.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal())) {
      return verifyRegisteredKey(leaf);
    }
    try {
      leaf.verify(ca.certificate().getPublicKey());
    } catch (GeneralSecurityException e) {
      throw ApiException.unauthorized("certificate not recognised: its signature does not verify with this gateway's CA");
    }
    checkDatesAndRevocation(leaf);
    String tenant = attribute(leaf, "CN");
    if (tenant != null && store.tenant(tenant) == null) {
      // A tenant added by the command line a moment ago may not have been picked up by the timer yet.
      reloadQuietly();
    }
    if (tenant == null || store.tenant(tenant) == null) {
      throw ApiException.forbidden("certificate not recognised: tenant " + tenant + " is not registered");
    }
    String ou = attribute(leaf, "OU");
    Role role = ou == null ? Role.TENANT : Role.parse(ou);
    return new Tenant(tenant, role.wireName());
  }

  /**
   * A certificate not issued by our CA is accepted only if its public key is one a tenant registered,
   * and only once the certificate's own signature verifies with that key (so whoever presents it holds
   * the key, and the certificate was not made by someone else around a copied public key).
   */
  private Tenant verifyRegisteredKey(X509Certificate leaf) {
    String fingerprint = PublicKeys.fingerprint(leaf.getPublicKey());
    TenantStore.TenantRecord owner = store.ownerOfKey(fingerprint);
    if (owner == null) {
      reloadQuietly();
      owner = store.ownerOfKey(fingerprint);
    }
    if (owner == null) {
      throw ApiException.unauthorized("certificate not recognised: it was not issued by this gateway's CA and its key "
          + fingerprint.substring(0, 16) + "... is not registered");
    }
    try {
      leaf.verify(leaf.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw ApiException.unauthorized("certificate not recognised: its signature does not verify with the registered key");
    }
    checkDatesAndRevocation(leaf);
    return new Tenant(owner.name(), owner.role());
  }

  private void checkDatesAndRevocation(X509Certificate leaf) {
    try {
      leaf.checkValidity(Date.from(clock.instant()));
    } catch (CertificateExpiredException e) {
      throw ApiException.unauthorized("certificate expired on " + leaf.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw ApiException.unauthorized("certificate not valid before " + leaf.getNotBefore().toInstant());
    }
    String serial = leaf.getSerialNumber().toString(16);
    if (store.isRevoked(serial)) {
      throw ApiException.forbidden("certificate revoked (serial " + serial + ")");
    }
  }

  private void reloadQuietly() {
    try {
      store.reloadIfChanged();
    } catch (java.io.IOException e) {
      // the timer will try again; the certificate is refused meanwhile
    }
  }

  static String attribute(X509Certificate cert, String type) {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase(type)) {
          return rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      return null;
    }
    return null;
  }
}
