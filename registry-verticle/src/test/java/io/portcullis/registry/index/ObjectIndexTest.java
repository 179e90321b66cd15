package io.portcullis.registry.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.contracts.ObjectKind;
import io.portcullis.registry.index.ObjectIndex.Entry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ObjectIndexTest {
  private static final String A1 = "a1".repeat(32);
  private static final String A2 = "a2".repeat(32);
  private static final String B1 = "b1".repeat(32);

  private static ObjectIndex index() {
    ObjectIndex index = new ObjectIndex();
    index.put(new Entry(ObjectKind.CONTAINER, A1, "alice.web", "alice", "h1"));
    index.put(new Entry(ObjectKind.CONTAINER, A2, "quirky_name", "alice", "h2"));
    index.put(new Entry(ObjectKind.CONTAINER, B1, "bob.web", "bob", "h1"));
    return index;
  }

  private static Optional<String> hostOf(ObjectIndex index, String tenant, String ref) {
    return index.locate(tenant, ObjectKind.CONTAINER, ref).map(Entry::host);
  }

  @Test
  void locate_resolvesIdNamesAndUniquePrefixes_withinTheTenantsOwn() {
    ObjectIndex index = index();
    assertThat(hostOf(index, "alice", A2)).contains("h2");
    assertThat(hostOf(index, "alice", "web")).as("the tenant's own name").contains("h1");
    assertThat(hostOf(index, "bob", "web")).as("bob's web is bob's").contains("h1");
    assertThat(index.locate("bob", ObjectKind.CONTAINER, "web").get().id()).isEqualTo(B1);
    assertThat(hostOf(index, "alice", "quirky_name")).as("a name the daemon chose").contains("h2");
    assertThat(hostOf(index, "alice", "a2a2")).as("a unique prefix").contains("h2");
    assertThat(hostOf(index, "alice", "a")).as("an ambiguous prefix").isEmpty();
    assertThat(hostOf(index, "alice", B1)).as("another tenant's ID").isEmpty();
    assertThat(hostOf(index, "bob", "a1")).as("another tenant's prefix").isEmpty();
    assertThat(hostOf(index, "alice", "")).isEmpty();
    assertThat(index.locate("alice", ObjectKind.VOLUME, "web")).as("kinds are apart").isEmpty();
  }

  @Test
  void removeRenameAndHostReplacement_keepItTrue() {
    ObjectIndex index = index();
    index.rename(ObjectKind.CONTAINER, A1, "alice.api");
    assertThat(hostOf(index, "alice", "web")).isEmpty();
    assertThat(hostOf(index, "alice", "api")).contains("h1");
    index.remove(ObjectKind.CONTAINER, A2);
    assertThat(hostOf(index, "alice", A2)).isEmpty();
    index.replaceHost("h1", ObjectKind.CONTAINER, List.of(new Entry(ObjectKind.CONTAINER, B1, "bob.web", "bob", "h1")));
    assertThat(hostOf(index, "alice", "api")).as("h1 no longer lists it").isEmpty();
    assertThat(index.containersPerHost()).isEqualTo(Map.of("h1", 1));
    index.removeHost("h1");
    assertThat(index.containersPerHost()).isEmpty();
  }

  @Test
  void hostOf_findsVolumesAndNetworksByBackendNameOrId_andCountsIgnoreOtherKinds() {
    ObjectIndex index = index();
    index.put(new Entry(ObjectKind.VOLUME, "alice.data", "alice.data", "alice", "h3"));
    index.put(new Entry(ObjectKind.NETWORK, "n".repeat(64), "alice.net", "alice", "h2"));
    assertThat(index.hostOf(ObjectKind.VOLUME, "alice.data")).contains("h3");
    assertThat(index.hostOf(ObjectKind.NETWORK, "alice.net")).contains("h2");
    assertThat(index.hostOf(ObjectKind.NETWORK, "n".repeat(64))).contains("h2");
    assertThat(index.hostOf(ObjectKind.VOLUME, "bob.data")).isEmpty();
    assertThat(index.containersPerHost()).isEqualTo(Map.of("h1", 2, "h2", 1));
  }

  @Test
  void entriesWithoutIdOrOwner_areNotKept() {
    ObjectIndex index = new ObjectIndex();
    index.put(new Entry(ObjectKind.CONTAINER, "", "x", "alice", "h1"));
    index.put(new Entry(ObjectKind.CONTAINER, A1, "x", "", "h1"));
    assertThat(index.all(ObjectKind.CONTAINER)).isEmpty();
  }
}
