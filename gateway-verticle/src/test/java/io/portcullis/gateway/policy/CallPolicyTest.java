package io.portcullis.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.contracts.ApiException;
import io.portcullis.gateway.classify.RequestClassifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallPolicyTest {
  private final RequestClassifier classifier = new RequestClassifier();
  private final CallPolicy policy = new CallPolicy();

  @ParameterizedTest(name = "{0} {1} refused")
  @CsvSource({
      "POST, /v1.41/swarm/init",
      "POST, /services/create",
      "POST, /plugins/pull",
      "POST, /v1.41/images/load",
      "GET,  /no/such/endpoint",
      "POST, /containers/abc/copy",
  })
  void hostWideAndUnlistedCalls_areRefusedWith403(String method, String target) {
    assertThatThrownBy(() -> policy.check(method, classifier.classify(method, target)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403))
        .hasMessageContaining(method);
  }

  @ParameterizedTest(name = "{0} {1} allowed")
  @CsvSource({
      "GET,  /_ping",
      "POST, /v1.41/containers/create",
      "POST, /containers/abc/attach",
      "POST, /exec/abc/start",
      "GET,  /v1.41/images/json",
      "POST, /images/create",
      "GET,  /events",
      "POST, /containers/prune",
      "POST, /v1.41/images/prune",
      "POST, /volumes/prune",
      "POST, /networks/prune",
  })
  void everydayCalls_areAllowed(String method, String target) {
    assertThatCode(() -> policy.check(method, classifier.classify(method, target))).doesNotThrowAnyException();
  }
}
