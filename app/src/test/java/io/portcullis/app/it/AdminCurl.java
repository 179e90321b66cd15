package io.portcullis.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** curl against a node's admin port, trusting the gateway's CA (the {@code ca.pem} of a bundle). */
record AdminCurl(Path caPem, int port) {

  record Answer(int exitCode, int status, String body) {}

  /** One call with the bundle's certificate (null: none). */
  Answer call(Path bundle, String method, String path, String body) throws Exception {
    Path out = Files.createTempFile("admin-answer", ".json");
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "-o", out.toString(), "-w", "%{http_code}",
        "--cacert", caPem.toString(), "-X", method));
    if (bundle != null) {
      command.addAll(List.of("--cert", bundle.resolve("cert.pem").toString(), "--key", bundle.resolve("key.pem").toString()));
    }
    if (body != null) {
      command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", body));
    }
    command.add("https://127.0.0.1:" + port + path);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("CURL_CA_BUNDLE");
    Process p = builder.redirectErrorStream(true).start();
    String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String answer = Files.readString(out);
    Files.delete(out);
    int code = status.matches("\\d{3}") ? Integer.parseInt(status) : status.endsWith("000") ? 0 : -1;
    return new Answer(p.exitValue(), code, answer);
  }
}
