package io.portcullis.auth;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.IdentifyRequest;
import io.portcullis.contracts.Tenant;

/**
 * Decides who a client connection is. Plaintext connections (the loopback-only listener) act as the
 * configured plaintext tenant; client-certificate identities come with the TLS listener.
 */
final class Identifier {
  private final AuthConfig config;

  Identifier(AuthConfig config) {
    this.config = config;
  }

  Tenant identify(IdentifyRequest request) {
    if ("plaintext".equals(request.transport())) {
      return new Tenant(config.plaintextTenant());
    }
    throw ApiException.unauthorized("transport " + request.transport() + " is not accepted by this gateway");
  }
}
