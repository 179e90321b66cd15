package io.portcullis.registry.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.ObjectKind;
import io.portcullis.registry.index.ObjectIndex.Entry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the answers of several hosts to one reference are resolved, as one daemon resolves it. */
class ObjectProbeTest {
  private static Entry container(String id, String name, String host) {
    return new Entry(ObjectKind.CONTAINER, id, name, "alice", host);
  }

  @Test
  void aPrefixTwoHostsMatch_isDockersMultipleIdsError() {
    List<Entry> found = List.of(container("3f45aa", "alice.web1", "h3"), container("31c5bb", "alice.web2", "h1"));
    assertThatThrownBy(() -> ObjectProbe.choose("alice", ObjectKind.CONTAINER, "3", found))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage("multiple IDs found with provided prefix: 3");
  }

  @Test
  void aNameOrFullId_winsOverAPrefixElsewhere() {
    List<Entry> found = List.of(container("abc123", "alice.x", "h1"), container("fed987", "alice.abc", "h2"));
    assertThat(ObjectProbe.choose("alice", ObjectKind.CONTAINER, "abc", found)).map(Entry::host).contains("h2");
    assertThat(ObjectProbe.choose("alice", ObjectKind.CONTAINER, "abc123", found)).map(Entry::host).contains("h1");
  }

  @Test
  void oneObjectFoundOnOneHost_isIt_andNothingIsNothing() {
    assertThat(ObjectProbe.choose("alice", ObjectKind.CONTAINER, "3f", List.of(container("3f45aa", "alice.web1", "h3"))))
        .map(Entry::host).contains("h3");
    assertThat(ObjectProbe.choose("alice", ObjectKind.CONTAINER, "3f", List.of())).isEmpty();
    List<Entry> sameTwice = List.of(container("3f45aa", "alice.web1", "h3"), container("3f45aa", "alice.web1", "h3"));
    assertThat(ObjectProbe.choose("alice", ObjectKind.CONTAINER, "3f", sameTwice)).isPresent();
  }
}
