package io.portcullis.app.it;

import org.junit.jupiter.api.BeforeAll;

/**
 * Every everyday docker CLI scenario of {@link DockerCliIT}, hijacked streams included, over mutual TLS
 * as a tenant ({@code DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=...}). Over TLS the CLI ends its stdin with a
 * close_notify alert instead of a TCP FIN, and keeps reading: {@code runInteractive_echoesPipedStdin}
 * and {@code exec_variants_work} fail if that is taken for a full close.
 */
class TlsDockerCliIT extends DockerCliIT {

  @BeforeAll
  static void overTls() {
    docker = gateway.tlsCli();
  }
}
