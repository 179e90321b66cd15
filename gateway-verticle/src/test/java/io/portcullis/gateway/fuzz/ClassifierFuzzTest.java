package io.portcullis.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.gateway.classify.ApiCall;
import io.portcullis.gateway.classify.RequestClassifier;
import io.portcullis.gateway.ownership.Ownership;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The classifier and path normaliser over generated request targets, built from the pieces attacks are
 * made of (dot segments plain, encoded and double-encoded, encoded slashes, NUL, bytes that are not
 * UTF-8, version prefixes, queries and fragments). For any target it either refuses it with an
 * {@link IllegalArgumentException} or classifies it, and the target forwarded for the call has no dot
 * segment, no empty segment, no encoded slash and no raw control byte, and classifies again as the
 * same call: normalising is stable. Seeded: CI sees the same targets each run.
 */
class ClassifierFuzzTest {
  private final RequestClassifier classifier = new RequestClassifier();

  @Property(seed = FuzzSeeds.SEED)
  void classifiesOrRefuses_andWhatIsForwardedIsNormalAndStable(@ForAll("methods") String method, @ForAll("targets") String target) {
    ApiCall call;
    try {
      call = classifier.classify(method, target);
    } catch (IllegalArgumentException refused) {
      return;
    }
    String forwarded;
    try {
      forwarded = Ownership.targetWithObject(call.apiVersion(), call.path(), target, null);
    } catch (IllegalArgumentException badQuery) {
      return; // the edge answers 400 "invalid query"
    }
    String path = forwarded.contains("?") ? forwarded.substring(0, forwarded.indexOf('?')) : forwarded;
    assertThat(path).startsWith("/").doesNotContain("//");
    assertThat(path.toLowerCase(java.util.Locale.ROOT)).doesNotContain("%2f");
    assertThat(path.chars().allMatch(c -> c > 0x20 && c < 0x7f)).as("only visible ASCII in %s", path).isTrue();
    for (String segment : path.split("/")) {
      assertThat(segment).isNotIn(".", "..");
    }
    for (String segment : call.path().split("/", -1)) {
      assertThat(segment).isNotIn(".", "..");
    }
    ApiCall again = classifier.classify(method, forwarded);
    assertThat(again.path()).isEqualTo(call.path());
    assertThat(again.family()).isEqualTo(call.family());
    assertThat(again.apiVersion()).isEqualTo(call.apiVersion());
    assertThat(again.objectId()).isEqualTo(call.objectId());
  }

  /** Targets kept from earlier runs and reviews, checked on every run whatever the generator does. */
  @Example
  void knownTargets() {
    for (String target : List.of("/containers/%252e%252e/json", "/containers/abc%2F..%2F..%2Finfo", "/info%00",
        "/v1.41/../info", "//containers//json", "/containers/a%20b/json", "/images/a%2Fb/json", "/%2e%2e/%2e%2e/info",
        "/volumes/%25", "/v1.41", "/v1.41/", "/images/x?tag=%zz")) {
      classifiesOrRefuses_andWhatIsForwardedIsNormalAndStable("GET", target);
    }
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.oneOf(Arbitraries.of("GET", "POST", "DELETE", "PUT", "HEAD", "get"),
        Arbitraries.strings().ofMinLength(1).ofMaxLength(8).alpha());
  }

  @Provide
  Arbitrary<String> targets() {
    Arbitrary<String> piece = Arbitraries.oneOf(
        Arbitraries.of("containers", "json", "images", "volumes", "networks", "exec", "info", "_ping", "v1.41", "v1.24",
            "abc", "start", "attach", "archive", "create", "prune", "events", "build", "swarm", "session"),
        Arbitraries.of("..", ".", "%2e%2e", "%2E.", "%2e", "%252e%252e", "%2f", "%2F", "%252F", "%00", "%ff", "%c0%af",
            "%e2%80%ae", "%", "%2", "%zz", "%25", "~", "+", " ", "\u00e9", ";", "\\"),
        Arbitraries.strings().withCharRange('!', '~').ofMaxLength(6));
    Arbitrary<String> separator = Arbitraries.of("/", "/", "/", "//", "%2f", "");
    Arbitrary<String> path = Arbitraries.oneOf(piece, separator).list().ofMaxSize(12)
        .map(parts -> "/" + String.join("", parts));
    Arbitrary<String> query = Arbitraries.oneOf(Arbitraries.just(""),
        Arbitraries.of("?all=1", "?filters=%7B%7D", "?a=%zz", "?#frag", "?x=1&x=2", "?name=%2e%2e%2f"));
    Arbitrary<String> leading = Arbitraries.of("", "", "", "http://h", "*", "x");
    return net.jqwik.api.Combinators.combine(leading, path, query).as((l, p, q) -> l.isEmpty() ? p + q : l + p + q);
  }
}
