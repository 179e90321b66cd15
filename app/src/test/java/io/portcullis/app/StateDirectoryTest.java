package io.portcullis.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.auth.Onboarding;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {
  @TempDir
  Path tmp;

  @Test
  void anEmptyStateDirectory_getsACaAndAServerCertificate() throws Exception {
    JsonObject config = new JsonObject().put("auth", new JsonObject().put("stateDir", tmp.resolve("state").toString()));
    assertThat(StateDirectory.ensureInitialised(config)).isTrue();
    assertThat(new Onboarding(tmp.resolve("state")).initialised()).isTrue();
    assertThat(StateDirectory.ensureInitialised(config)).as("once").isFalse();
  }

  @Test
  void aCaInTheStateDirectory_withTheServerCertificateMountedElsewhere_isLeftAsItIs() throws Exception {
    // As in Kubernetes: the CA and the server certificate come from a Secret, the server pair not in the state directory.
    Path pki = tmp.resolve("pki");
    new Onboarding(pki).init(List.of("gw.example.net"), List.of("127.0.0.1"));
    Path state = tmp.resolve("state");
    Files.createDirectories(state.resolve("ca"));
    Files.copy(pki.resolve("ca").resolve("ca.pem"), state.resolve("ca").resolve("ca.pem"));
    Files.copy(pki.resolve("ca").resolve("ca-key.pem"), state.resolve("ca").resolve("ca-key.pem"));
    JsonObject config = new JsonObject().put("auth", new JsonObject().put("stateDir", state.toString()))
        .put("edge", new JsonObject().put("tlsCertPath", Onboarding.serverCertificatePath(pki).toString())
            .put("tlsKeyPath", Onboarding.serverKeyPath(pki).toString()));
    assertThat(StateDirectory.ensureInitialised(config)).isFalse();
    assertThat(state.resolve("server")).doesNotExist();
  }
}
