package io.portcullis.gateway.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TenantNamesTest {
  private static final TenantNames ALICE = new TenantNames("alice");

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "Conflict. The container name \"/alice.web\" is already in use by container \"abc\" | Conflict. The container name \"/web\" is already in use by container \"abc\"",
      "network alice.net not found | network net not found",
      "get alice.data: no such volume | get data: no such volume",
      "error while mounting volume 'alice.data': x | error while mounting volume 'data': x",
      "No such container: alice.web | No such container: web",
      "container malice.web and alicex.web stay | container malice.web and alicex.web stay",
      "nothing to change | nothing to change",
  })
  void daemonMessages_sayTheTenantsNames(String daemon, String tenant) {
    assertThat(ALICE.fromBackendText(daemon)).isEqualTo(tenant);
  }
}
