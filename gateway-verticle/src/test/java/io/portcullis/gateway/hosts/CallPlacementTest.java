package io.portcullis.gateway.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.contracts.ObjectKind;
import io.portcullis.gateway.classify.RequestClassifier;
import io.portcullis.gateway.hosts.CallPlacement.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where each call goes when a tenant spans hosts, from the real classifier's view of the request. */
class CallPlacementTest {
  private static final RequestClassifier CLASSIFIER = new RequestClassifier();

  @ParameterizedTest(name = "{0} {1} -> {2} {3} {4}")
  @CsvSource(nullValues = "-", value = {
      "GET, /v1.41/containers/json?all=1, SPANS, -, -",
      "GET, /v1.41/events, SPANS, -, -",
      "GET, /v1.41/info, SPANS, -, -",
      "POST, /v1.41/volumes/prune, SPANS, -, -",
      "POST, /v1.41/images/create?fromImage=busybox&tag=1, SPANS, -, -",
      "POST, /v1.41/images/create?fromSrc=-&repo=x, PLACE, IMAGE, -",
      "POST, /v1.41/containers/create?name=web, PLACE_BY_BODY, CONTAINER, -",
      "POST, /v1.41/volumes/create, PLACE_BY_BODY, VOLUME, -",
      "POST, /v1.41/networks/create, PLACE_BY_BODY, NETWORK, -",
      "POST, /v1.41/build?t=x, PLACE, IMAGE, -",
      "GET, /v1.41/containers/web/logs?follow=1, LOCATE, CONTAINER, web",
      "POST, /v1.41/containers/web/attach?stream=1, LOCATE, CONTAINER, web",
      "POST, /v1.41/containers/web/exec, LOCATE, CONTAINER, web",
      "POST, /v1.41/exec/abc/start, LOCATE, EXEC, abc",
      "GET, /v1.41/volumes/data, LOCATE, VOLUME, data",
      "POST, /v1.41/networks/net/connect, LOCATE, NETWORK, net",
      "GET, /v1.41/networks/none, ANY, -, -",
      "GET, /v1.41/images/busybox:local/json, LOCATE, IMAGE, busybox:local",
      "POST, /v1.41/images/repo/push?tag=1, LOCATE, IMAGE, repo:1",
      "POST, /v1.41/commit?container=web&repo=x, LOCATE, CONTAINER, web",
      "GET, /v1.41/images/get?names=a&names=b, LOCATE, IMAGE, a",
      "GET, /_ping, ANY, -, -",
      "GET, /v1.41/version, ANY, -, -",
      "GET, /v1.41/distribution/busybox/json, ANY, -, -",
  })
  void everyCall_goesWhereItsObjectIs(String method, String target, Kind kind, String object, String ref) {
    CallPlacement placement = CallPlacement.of(CLASSIFIER.classify(method, target), target);
    assertThat(placement.kind()).isEqualTo(kind);
    assertThat(placement.object()).isEqualTo(object == null ? null : ObjectKind.valueOf(object));
    assertThat(placement.ref()).isEqualTo(ref);
  }
}
