package io.portcullis.gateway.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.gateway.classify.PathNormalizer.NormalizedPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {

  @ParameterizedTest(name = "{0} -> version {1}, path {2}")
  @CsvSource({
      // target, expected version (empty = none), expected path
      "/v1.41/containers/json,                1.41, /containers/json",
      "/v1.41/containers/json?all=1&size=0,   1.41, /containers/json",
      "/containers/json?all=1,                    , /containers/json",
      "/v1.41,                                1.41, /",
      "/v1.41/,                               1.41, /",
      "/v10.100/info,                        10.100, /info",
      "/v1.41x/info,                              , /v1.41x/info",
      "/v1/info,                                  , /v1/info",
      "/api/v1.41/info,                           , /api/v1.41/info",
      "/,                                         , /",
      "/?x=/v1.41,                                , /",
  })
  void versionPrefix_isSplitAndQueryDropped(String target, String version, String path) {
    NormalizedPath normalized = PathNormalizer.normalize(target);

    assertThat(normalized.apiVersion()).isEqualTo(version);
    assertThat(normalized.path()).isEqualTo(path);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "/v1.41/containers/%2e%2e/images/json,         /images/json",
      "/v1.41/containers/%2E%2E/images/json,         /images/json",
      "/v1.41/containers/x/.%2e/.%2E/info,           /info",
      "/v1.41/containers/x/%2e/json,                 /containers/x/json",
      "/v1.41/containers/x%2F..%2F..%2Finfo,         /info",
  })
  void percentEncodedTraversal_isResolvedBeforeMatching(String target, String path) {
    NormalizedPath normalized = PathNormalizer.normalize(target);

    assertThat(normalized.apiVersion()).isEqualTo("1.41");
    assertThat(normalized.path()).isEqualTo(path);
  }

  @Test
  void doubleEncodedDots_areDecodedOnlyOnceAndStayLiteral() {
    NormalizedPath normalized = PathNormalizer.normalize("/v1.41/containers/%252e%252e/json");

    assertThat(normalized.path()).isEqualTo("/containers/%2e%2e/json");
  }

  @Test
  void doubleEncodedSlash_isNotASegmentSeparator() {
    NormalizedPath normalized = PathNormalizer.normalize("/v1.41/images/a%252F..%252Fb/json");

    assertThat(normalized.path()).isEqualTo("/images/a%2F..%2Fb/json");
  }

  @Test
  void encodedQuestionMark_isPartOfThePathNotAQuery() {
    NormalizedPath normalized = PathNormalizer.normalize("/v1.41/containers/json%3Fall=1?size=1");

    assertThat(normalized.path()).isEqualTo("/containers/json?all=1");
  }

  @Test
  void encodedVersionPrefix_isRecognisedAfterDecoding() {
    NormalizedPath normalized = PathNormalizer.normalize("/%761.41/info");

    assertThat(normalized.apiVersion()).isEqualTo("1.41");
    assertThat(normalized.path()).isEqualTo("/info");
  }

  @Test
  void utf8PercentEncoding_isDecoded() {
    NormalizedPath normalized = PathNormalizer.normalize("/volumes/caf%C3%A9");

    assertThat(normalized.path()).isEqualTo("/volumes/caf\u00e9");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "/v1.41/./containers/./json,           /containers/json",
      "/v1.41/containers/web/../json,        /containers/json",
      "/v1.41//containers//json,             /containers/json",
      "//v1.41/containers/json,              /containers/json",
      "/v1.41/containers/json/,              /containers/json",
      "/v1.41/containers/json/.,             /containers/json",
      "/v1.41/../../../info,                 /info",
  })
  void dotAndEmptySegments_areResolved(String target, String path) {
    NormalizedPath normalized = PathNormalizer.normalize(target);

    assertThat(normalized.path()).isEqualTo(path);
  }

  @Test
  void traversalAboveRoot_staysAtRoot() {
    NormalizedPath normalized = PathNormalizer.normalize("/../../etc/passwd");

    assertThat(normalized.apiVersion()).isNull();
    assertThat(normalized.path()).isEqualTo("/etc/passwd");
  }

  @Test
  void traversalOutOfTheVersionPrefix_losesTheVersion() {
    NormalizedPath normalized = PathNormalizer.normalize("/v1.41/../containers/json");

    assertThat(normalized.apiVersion()).isNull();
    assertThat(normalized.path()).isEqualTo("/containers/json");
  }

  @Test
  void tripleDots_areAnOrdinarySegment() {
    assertThat(PathNormalizer.normalize("/volumes/.../x").path()).isEqualTo("/volumes/.../x");
  }

  @ParameterizedTest(name = "truncated: {0}")
  @ValueSource(strings = {"/containers/%", "/containers/%2", "/containers/abc%4", "/v1.41/containers/%2e%2"})
  void truncatedPercentEncoding_isRefused(String target) {
    assertThatThrownBy(() -> PathNormalizer.normalize(target))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
  }

  @ParameterizedTest(name = "invalid: {0}")
  @ValueSource(strings = {"/containers/%zz/json", "/containers/%g1/json", "/containers/%-1/json", "/containers/% 1/json"})
  void invalidPercentEncoding_isRefused(String target) {
    assertThatThrownBy(() -> PathNormalizer.normalize(target))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid percent-encoding");
  }

  @ParameterizedTest(name = "not utf-8: {0}")
  @ValueSource(strings = {"/volumes/%ff", "/volumes/caf%E9", "/volumes/%C3", "/volumes/%C0%AE%C0%AE", "/volumes/%ED%A0%80"})
  void nonUtf8Bytes_areRefused(String target) {
    assertThatThrownBy(() -> PathNormalizer.normalize(target))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void rawNonAsciiCharacterNextToAnEscape_isRefused() {
    assertThatThrownBy(() -> PathNormalizer.normalize("/volumes/caf\u00e9%20x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-ASCII");
  }

  @ParameterizedTest(name = "not absolute: [{0}]")
  @NullAndEmptySource
  @ValueSource(strings = {"containers/json", "*", "http://docker/containers/json", "?/containers/json"})
  void targetThatIsNotAnAbsolutePath_isRefused(String target) {
    assertThatThrownBy(() -> PathNormalizer.normalize(target))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute path");
  }

  @Test
  void invalidEncodingInTheQuery_isIgnoredBecauseTheQueryIsDropped() {
    NormalizedPath normalized = PathNormalizer.normalize("/v1.41/containers/json?filters=%zz");

    assertThat(normalized.path()).isEqualTo("/containers/json");
  }

  @Test
  void rawNonAscii_isRefusedWithOrWithoutPercentEncodingElsewhere() {
    assertThatThrownBy(() -> PathNormalizer.normalize("/volumes/caf\u00e9"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathNormalizer.normalize("/volumes/caf\u00e9%20x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
