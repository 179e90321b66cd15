package io.portcullis.app;

import io.portcullis.auth.AuthConfig;
import io.portcullis.auth.Onboarding;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The state directory ({@code auth.stateDir}, default {@code ~/.portcullis}) holds the CA, the server
 * certificate and the tenants. This fills in the paths other keys take from it, and creates a CA and a
 * server certificate on first start so that a fresh machine runs with one command.
 */
final class StateDirectory {
  private StateDirectory() {}

  static Path of(JsonObject config) {
    JsonObject auth = config.getJsonObject("auth", new JsonObject());
    String dir = auth.getString("stateDir");
    return Path.of(dir == null || dir.isBlank() ? AuthConfig.defaultStateDir() : dir).toAbsolutePath();
  }

  /** Sets {@code auth.stateDir} and the TLS listener's certificate paths where they are not given. */
  static JsonObject applyDefaults(JsonObject config) {
    Path state = of(config);
    JsonObject auth = config.getJsonObject("auth", new JsonObject());
    auth.put("stateDir", state.toString());
    config.put("auth", auth);
    JsonObject edge = config.getJsonObject("edge", new JsonObject());
    if (edge.getString("tlsCertPath") == null) {
      edge.put("tlsCertPath", Onboarding.serverCertificatePath(state).toString());
    }
    if (edge.getString("tlsKeyPath") == null) {
      edge.put("tlsKeyPath", Onboarding.serverKeyPath(state).toString());
    }
    config.put("edge", edge);
    return config;
  }

  /**
   * The CA is in the state directory and the server certificate and key are files the configuration
   * names elsewhere (in Kubernetes: mounted from a Secret): nothing to create.
   */
  private static boolean pkiGivenElsewhere(JsonObject config) {
    JsonObject edge = config.getJsonObject("edge", new JsonObject());
    String cert = edge.getString("tlsCertPath");
    String key = edge.getString("tlsKeyPath");
    return cert != null && key != null && java.nio.file.Files.isRegularFile(Path.of(cert)) && java.nio.file.Files.isRegularFile(Path.of(key))
        && io.portcullis.auth.ca.CertificateAuthority.exists(of(config));
  }

  /** Creates the CA and a server certificate (localhost, 127.0.0.1 and the TLS listener's address) if missing. */
  static boolean ensureInitialised(JsonObject config) throws IOException {
    Onboarding onboarding = new Onboarding(of(config));
    if (onboarding.initialised() || pkiGivenElsewhere(config)) {
      return false;
    }
    List<String> ips = new ArrayList<>(List.of("127.0.0.1"));
    String tlsHost = config.getJsonObject("edge", new JsonObject()).getString("tlsHost", "127.0.0.1");
    if (tlsHost.matches("[0-9.]+") && !ips.contains(tlsHost) && !tlsHost.equals("0.0.0.0")) {
      ips.add(tlsHost);
    }
    onboarding.init(List.of("localhost"), ips);
    return true;
  }
}
