package io.portcullis.app.it;

/** {@code run -it} and {@code exec -it} in a real terminal, over mutual TLS with the flags form of the CLI. */
class TlsTerminalIT extends TerminalIT {

  @Override
  protected DockerCli cli() {
    return gateway.tlsCli();
  }

  @Override
  protected String docker() {
    var bundle = gateway.tenantBundle;
    return "docker --tlsverify --tlscacert " + bundle.resolve("ca.pem") + " --tlscert " + bundle.resolve("cert.pem")
        + " --tlskey " + bundle.resolve("key.pem") + " -H tcp://127.0.0.1:" + gateway.tlsPort;
  }
}
