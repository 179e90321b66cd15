package io.portcullis.auth;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.IdentifyRequest;
import io.portcullis.contracts.Tenant;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * Decides who a client connection is. Plaintext connections (a listener that exists only when
 * configured, on loopback) act as the configured plaintext tenant; TLS connections are who their client
 * certificate says, once the {@link CertificateVerifier} accepts it. Anything else is refused.
 */
final class Identifier {
  private final AuthConfig config;
  private final CertificateVerifier certificates;

  Identifier(AuthConfig config, CertificateVerifier certificates) {
    this.config = config;
    this.certificates = certificates;
  }

  Tenant identify(IdentifyRequest request) {
    if ("plaintext".equals(request.transport())) {
      return new Tenant(config.plaintextTenant());
    }
    if ("tls".equals(request.transport())) {
      if (request.certificateChain().isEmpty()) {
        throw ApiException.unauthorized("a client certificate is required");
      }
      return certificates.verify(decode(request.certificateChain().get(0)));
    }
    throw ApiException.unauthorized("transport " + request.transport() + " is not accepted by this gateway");
  }

  static X509Certificate decode(String base64Der) {
    try {
      byte[] der = Base64.getDecoder().decode(base64Der);
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (IllegalArgumentException | CertificateException e) {
      throw ApiException.unauthorized("certificate not recognised: it cannot be parsed");
    }
  }
}
