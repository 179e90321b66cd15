package io.portcullis.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.gateway.classify.RequestClassifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which calls get the response-head deadline, and how long, with {@code edge.backendResponseTimeoutMs} at 60 s. */
class ResponseDeadlineTest {
  private final RequestClassifier classifier = new RequestClassifier();

  @ParameterizedTest(name = "{0} {1} -> {2} ms")
  @CsvSource({
      // plain calls: the configured deadline
      "GET, /v1.41/containers/json, 60000",
      "POST, /v1.41/containers/abc/start, 60000",
      "PUT, /v1.41/containers/abc/archive?path=/tmp, 60000",
      "POST, /v1.41/containers/abc/stop, 60000",
      // stop and restart: plus the grace they ask for; t=-1 waits for ever
      "POST, /v1.41/containers/abc/stop?t=30, 90000",
      "POST, /v1.41/containers/abc/restart?t=5, 65000",
      "POST, /v1.41/containers/abc/stop?t=-1, 0",
      "POST, /v1.41/containers/abc/stop?t=soon, 60000",
      // streams and hijacks: none
      "POST, /v1.41/containers/abc/wait, 0",
      "GET, /v1.41/containers/abc/logs?follow=1, 0",
      "GET, /v1.41/events, 0",
      "GET, /v1.41/containers/abc/stats, 0",
      "POST, /v1.41/build, 0",
      "POST, /v1.41/images/create?fromImage=busybox, 0",
      "POST, /v1.41/containers/abc/attach?stream=1, 0",
      "POST, /v1.41/exec/abc/start, 0",
      "POST, /session, 0"})
  void deadlineOf(String method, String target, long expectedMs) {
    assertThat(ResponseDeadline.millisFor(classifier.classify(method, target), target, 60_000)).isEqualTo(expectedMs);
  }

  @ParameterizedTest
  @CsvSource({"GET, /v1.41/containers/json", "POST, /v1.41/containers/abc/stop?t=30"})
  void zero_meansNoDeadlineForAnyCall(String method, String target) {
    assertThat(ResponseDeadline.millisFor(classifier.classify(method, target), target, 0)).isZero();
  }
}
