package io.portcullis.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminOptionsTest {
  @Test
  void adminUrl_certPath_andJson_areTakenOut_andABareAdminFlagStays() {
    List<String> args = new ArrayList<>(List.of("add", "ops", "--admin", "--admin", "https://127.0.0.1:2377", "--cert-path", "/b", "--json", "--out", "d"));
    AdminOptions options = AdminOptions.take(args);
    assertThat(options).isEqualTo(new AdminOptions("https://127.0.0.1:2377", Path.of("/b"), true));
    assertThat(args).as("the role flag is the command's").containsExactly("add", "ops", "--admin", "--out", "d");
  }

  @Test
  void withoutAdmin_theCommandWorksOnTheStateDirectory() {
    List<String> args = new ArrayList<>(List.of("add", "ops", "--admin", "--out", "d"));
    AdminOptions options = AdminOptions.take(args);
    assertThat(options.remote()).isFalse();
    assertThat(options.json()).isFalse();
    assertThat(args).containsExactly("add", "ops", "--admin", "--out", "d");
  }

  @Test
  void adminUrl_withoutCertPath_isRefused() {
    assertThatThrownBy(() -> AdminOptions.take(new ArrayList<>(List.of("list", "--admin", "https://h:2377"))))
        .hasMessageContaining("--cert-path");
  }

  @Test
  void table_alignsColumns_andShowsEmptyCellsAsDashes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Table("ID", "TENANT", "OBJECT").row("a1-1", "alice", null).row("a1-22", "bob", "web").print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
        "ID      TENANT   OBJECT",
        "a1-1    alice    -",
        "a1-22   bob      web");
  }
}
