package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.it.DockerCli.Result;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Large bodies both ways through the gateway: cp, build contexts, save/load, export, big stdout. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TransfersIT {
  static final String LABEL = "portcullis-it=transfers";
  static Gateway gateway;
  static DockerCli docker;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    gateway = Gateway.shared();
    docker = gateway.cli();
  }

  @AfterAll
  static void cleanUp() {
    gateway.removeContainersLabelled(LABEL);
    gateway.direct().run("rmi", "-f", "portcullis-it-built:1", "portcullis-it-saved:1");
  }

  @Test
  void cp_of50MB_inAndOut_keepsTheChecksum() throws Exception {
    Path file = Payloads.randomFile(tmp, "blob.bin", 50L * 1024 * 1024, 11);
    String n = Gateway.uniqueName();
    docker.run("run", "-d", "--network", "none", "--label", LABEL, "--name", n, IMAGE, "sleep", "120").ok();
    docker.run(null, null, Duration.ofSeconds(120), Map.of(), "cp", file.toString(), n + ":/tmp/blob.bin").ok();
    Result inside = docker.run("exec", n, "sha256sum", "/tmp/blob.bin").ok();
    assertThat(inside.out().split(" ")[0]).isEqualTo(Payloads.sha256(file));
    Path back = tmp.resolve("back");
    Files.createDirectories(back);
    docker.run(null, null, Duration.ofSeconds(120), Map.of(), "cp", n + ":/tmp/blob.bin", back.toString()).ok();
    assertThat(Payloads.sha256(back.resolve("blob.bin"))).isEqualTo(Payloads.sha256(file));
  }

  @Test
  void legacyBuild_with20MBContext_buildsAnImageThatRuns() throws Exception {
    Path context = tmp.resolve("ctx");
    Files.createDirectories(context);
    Path blob = Payloads.randomFile(context, "blob.bin", 20L * 1024 * 1024, 13);
    Files.writeString(context.resolve("Dockerfile"), "FROM " + IMAGE + "\nCOPY blob.bin /blob.bin\nCMD [\"sha256sum\", \"/blob.bin\"]\n");
    Result build = docker.run(null, null, Duration.ofSeconds(180), Map.of("DOCKER_BUILDKIT", "0"),
        "build", "-t", "portcullis-it-built:1", context.toString());
    assertThat(build.exitCode()).as("%s", build).isZero();
    Result run = docker.run("run", "--rm", "--network", "none", "--label", LABEL, "portcullis-it-built:1").ok();
    assertThat(run.out().split(" ")[0]).isEqualTo(Payloads.sha256(blob));
  }

  @Test
  void save_exportsASharedImage_loadIsRefused_itCouldMoveAnyTagOnTheHost() throws Exception {
    Path tar = tmp.resolve("image.tar");
    docker.run(null, null, Duration.ofSeconds(120), Map.of(), "save", "-o", tar.toString(), IMAGE).ok();
    assertThat(Files.size(tar)).isGreaterThan(1024 * 1024);
    Result load = docker.run(null, null, Duration.ofSeconds(120), Map.of(), "load", "-i", tar.toString());
    assertThat(load.exitCode()).isNotZero();
    assertThat(load.stderr()).contains("images.load").contains("not available");
  }

  @Test
  void export_streamsTheContainersFilesystem() throws Exception {
    String n = Gateway.uniqueName();
    String id = docker.run("create", "--network", "none", "--label", LABEL, "--name", n, IMAGE, "true").ok().out().trim();
    Path tar = tmp.resolve("fs.tar");
    docker.run(null, null, Duration.ofSeconds(120), Map.of(), "export", "-o", tar.toString(), n).ok();
    Result direct = gateway.direct().run("export", "-o", tmp.resolve("direct.tar").toString(), id).ok();
    assertThat(direct.exitCode()).isZero();
    assertThat(Files.size(tar)).isEqualTo(Files.size(tmp.resolve("direct.tar"))).isGreaterThan(1024 * 1024);
  }

  @Test
  void twoHundredMBOfStdout_arriveByteForByte() throws Exception {
    long expected = 200L * 1024 * 1024;
    Process p = docker.start("run", "--rm", "--network", "none", "--label", LABEL, IMAGE,
        "sh", "-c", "head -c " + expected + " /dev/zero");
    p.getOutputStream().close();
    long count = 0;
    try (InputStream in = p.getInputStream()) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          if (buf[i] != 0) {
            throw new AssertionError("unexpected byte at offset " + (count + i));
          }
        }
        count += n;
      }
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(count).isEqualTo(expected);
  }
}
