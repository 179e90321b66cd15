package io.portcullis.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.auth.ca.KeyType;
import io.portcullis.auth.ca.Pem;
import io.portcullis.auth.ca.PublicKeys;
import io.portcullis.auth.store.TenantStore;
import io.portcullis.contracts.ApiException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API's tenant questions on a real state directory, through one open store as the verticle has it. */
class TenantAdminTest {
  @TempDir
  Path state;
  TenantStore store;
  TenantAdmin admin;

  @BeforeEach
  void setUp() throws Exception {
    new Onboarding(state).init(List.of("localhost"), List.of("127.0.0.1"));
    store = TenantStore.open(state);
    admin = new TenantAdmin(new Onboarding(state, store));
  }

  private static int status(Throwable e) {
    return ((ApiException) e).status();
  }

  @Test
  void add_issuesABundle_recordsItsSerial_andRefusesTheSameNameTwice() throws Exception {
    JsonObject added = admin.add(new JsonObject().put("name", "alice").put("role", "admin").put("keyType", "ed25519"));
    assertThat(added.getString("role")).isEqualTo("admin");
    JsonObject bundle = added.getJsonObject("bundle");
    assertThat(bundle.getString("key.pem")).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(bundle.getString("cert.pem")).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(bundle.getString("ca.pem")).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(added.getJsonArray("serials").getList()).containsExactly(added.getString("serial"));
    assertThat(store.tenant("alice")).as("the verticle's own store sees it at once").isNotNull();
    assertThat(TenantStore.open(state).tenant("alice").serials()).as("and so does the file").containsExactly(added.getString("serial"));
    assertThatThrownBy(() -> admin.add(new JsonObject().put("name", "alice"))).satisfies(e -> assertThat(status(e)).isEqualTo(409));
  }

  @Test
  void add_refusesBadNamesRolesAndKeyTypes_with400() {
    assertThatThrownBy(() -> admin.add(new JsonObject().put("name", "Bad.Name"))).satisfies(e -> assertThat(status(e)).isEqualTo(400));
    assertThatThrownBy(() -> admin.add(new JsonObject().put("name", "ok").put("role", "root"))).satisfies(e -> assertThat(status(e)).isEqualTo(400));
    assertThatThrownBy(() -> admin.add(new JsonObject().put("name", "ok").put("keyType", "dsa"))).hasMessageContaining("unknown key type");
    assertThat(store.tenant("ok")).isNull();
  }

  @Test
  void list_showsKeyCountsSerials_andWhichAreRevoked() throws Exception {
    String serial = admin.add(new JsonObject().put("name", "bob")).getString("serial");
    admin.revoke(serial.toUpperCase());
    JsonObject list = admin.list();
    JsonObject bob = list.getJsonArray("tenants").getJsonObject(0);
    assertThat(bob.getString("name")).isEqualTo("bob");
    assertThat(bob.getInteger("keys")).isZero();
    assertThat(bob.getJsonArray("revoked").getList()).containsExactly(serial);
    assertThat(list.getJsonArray("revokedSerials").getList()).containsExactly(serial);
    assertThat(store.isRevoked(serial)).isTrue();
  }

  @Test
  void keys_areAddedListedAndRemoved_byFingerprintPrefix() throws Exception {
    admin.add(new JsonObject().put("name", "carol"));
    String pem = Pem.encode(KeyType.EC.generate().getPublic());
    String fingerprint = admin.addKey("carol", pem, "laptop").getString("fingerprint");
    assertThat(fingerprint).isEqualTo(PublicKeys.fingerprint(PublicKeys.parse(pem).key()));
    assertThat(admin.keys("carol").getJsonArray("keys").getJsonObject(0).getString("comment")).isEqualTo("laptop");
    assertThat(admin.removeKey("carol", fingerprint.substring(0, 12)).getString("removed")).isEqualTo(fingerprint.substring(0, 12));
    assertThat(admin.keys("carol").getJsonArray("keys")).isEmpty();
    assertThatThrownBy(() -> admin.removeKey("carol", fingerprint)).satisfies(e -> assertThat(status(e)).isEqualTo(404));
  }

  @Test
  void unknownTenants_are404_andBadKeysOrSerials400() throws Exception {
    assertThatThrownBy(() -> admin.keys("nobody")).satisfies(e -> assertThat(status(e)).isEqualTo(404));
    assertThatThrownBy(() -> admin.remove("nobody")).satisfies(e -> assertThat(status(e)).isEqualTo(404));
    assertThatThrownBy(() -> admin.addKey("nobody", "ssh-ed25519 AAAA", "")).satisfies(e -> assertThat(status(e)).isEqualTo(404));
    admin.add(new JsonObject().put("name", "dave"));
    assertThatThrownBy(() -> admin.addKey("dave", "not a key", "")).satisfies(e -> assertThat(status(e)).isEqualTo(400));
    assertThatThrownBy(() -> admin.revoke("xyz")).satisfies(e -> assertThat(status(e)).isEqualTo(400));
    assertThat(admin.remove("dave").getString("removed")).isEqualTo("dave");
    assertThat(store.tenant("dave")).isNull();
  }
}
