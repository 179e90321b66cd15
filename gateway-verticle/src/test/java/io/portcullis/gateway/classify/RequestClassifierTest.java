package io.portcullis.gateway.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestClassifierTest {
  private final RequestClassifier classifier = new RequestClassifier();

  @ParameterizedTest(name = "{0} {1} -> {2} {3} {4}")
  @CsvSource({
      // method, target, family, mode, objectId (empty = none)
      // system
      "GET,    /_ping,                                        system.ping,          PLAIN,     ",
      "HEAD,   /v1.41/_ping,                                  system.ping,          PLAIN,     ",
      "GET,    /v1.41/version,                                system.version,       PLAIN,     ",
      "GET,    /info,                                         system.info,          PLAIN,     ",
      "GET,    /v1.41/events?filters=%7B%7D,                  system.events,        STREAMING, ",
      // containers
      "GET,    /v1.41/containers/json?all=1,                  containers.list,      PLAIN,     ",
      "POST,   /containers/create?name=web,                   containers.create,    PLAIN,     ",
      "POST,   /v1.41/containers/prune,                       containers.prune,     PLAIN,     ",
      "GET,    /v1.41/containers/abc123/json,                 containers.inspect,   PLAIN,     abc123",
      "GET,    /containers/abc123/logs?follow=1&stdout=1,     containers.logs,      STREAMING, abc123",
      "GET,    /v1.41/containers/web/stats,                   containers.stats,     STREAMING, web",
      "POST,   /v1.41/containers/web/start,                   containers.start,     PLAIN,     web",
      "POST,   /containers/web/kill?signal=TERM,              containers.kill,      PLAIN,     web",
      "POST,   /v1.41/containers/web/resize?h=40&w=120,       containers.resize,    PLAIN,     web",
      "POST,   /v1.41/containers/web/wait?condition=removed,  containers.wait,      STREAMING, web",
      "POST,   /v1.41/containers/web/attach?stream=1&stdin=1, containers.attach,    HIJACK,    web",
      "GET,    /v1.41/containers/web/attach/ws?stream=1,      containers.attach,    HIJACK,    web",
      "GET,    /containers/web/attach/ws,                     containers.attach,    HIJACK,    web",
      "DELETE, /v1.41/containers/web?force=1,                 containers.remove,    PLAIN,     web",
      "HEAD,   /v1.41/containers/web/archive?path=/etc,       containers.archive,   PLAIN,     web",
      "PUT,    /v1.41/containers/web/archive?path=/tmp,       containers.archive,   PLAIN,     web",
      "GET,    /containers/web/export,                        containers.export,    PLAIN,     web",
      "POST,   /v1.41/containers/web/exec,                    exec.create,          PLAIN,     web",
      // exec
      "POST,   /v1.41/exec/e0f1/start,                        exec.start,           HIJACK,    e0f1",
      "POST,   /exec/e0f1/resize?h=40&w=120,                  exec.resize,          PLAIN,     e0f1",
      "GET,    /v1.41/exec/e0f1/json,                         exec.inspect,         PLAIN,     e0f1",
      // images: names may contain slashes, colons and registry ports
      "GET,    /v1.41/images/json,                            images.list,          PLAIN,     ",
      "GET,    /images/library/busybox:local/json,            images.inspect,       PLAIN,     library/busybox:local",
      "GET,    /v1.41/images/library/busybox:local/json,      images.inspect,       PLAIN,     library/busybox:local",
      "GET,    /v1.41/images/busybox/history,                 images.history,       PLAIN,     busybox",
      "POST,   /v1.41/images/registry.example:5000/team/app/push?tag=v2, images.push, STREAMING, registry.example:5000/team/app",
      "POST,   /v1.41/images/busybox:local/tag?repo=mine&tag=x, images.tag,         PLAIN,     busybox:local",
      "DELETE, /v1.41/images/library/busybox:local?force=1,   images.remove,        PLAIN,     library/busybox:local",
      "GET,    /v1.41/images/library/busybox/get,             images.save,          PLAIN,     library/busybox",
      "GET,    /v1.41/images/get?names=busybox,               images.save,          PLAIN,     ",
      "POST,   /v1.41/images/create?fromImage=busybox&tag=1,  images.pull,          STREAMING, ",
      "POST,   /v1.41/images/load?quiet=1,                    images.load,          STREAMING, ",
      "POST,   /v1.41/build?t=mine,                           images.build,         STREAMING, ",
      "POST,   /v1.41/build/prune,                            images.build-prune,   PLAIN,     ",
      "GET,    /v1.41/distribution/docker.io/library/busybox/json, images.distribution, PLAIN, docker.io/library/busybox",
      // volumes
      "GET,    /v1.41/volumes,                                volumes.list,         PLAIN,     ",
      "POST,   /volumes/create,                               volumes.create,       PLAIN,     ",
      "POST,   /v1.41/volumes/prune,                          volumes.prune,        PLAIN,     ",
      "GET,    /v1.41/volumes/data,                           volumes.inspect,      PLAIN,     data",
      "PUT,    /v1.41/volumes/data,                           volumes.update,       PLAIN,     data",
      "DELETE, /v1.41/volumes/data?force=1,                   volumes.remove,       PLAIN,     data",
      // networks
      "GET,    /v1.41/networks,                               networks.list,        PLAIN,     ",
      "POST,   /v1.41/networks/create,                        networks.create,      PLAIN,     ",
      "POST,   /networks/prune,                               networks.prune,       PLAIN,     ",
      "GET,    /v1.41/networks/bridge,                        networks.inspect,     PLAIN,     bridge",
      "DELETE, /v1.41/networks/backend-net,                   networks.remove,      PLAIN,     backend-net",
      "POST,   /v1.41/networks/backend-net/connect,           networks.connect,     PLAIN,     backend-net",
      "POST,   /networks/backend-net/disconnect,              networks.disconnect,  PLAIN,     backend-net",
      // BuildKit
      "POST,   /session,                                      buildkit.session,     HIJACK,    ",
      "POST,   /v1.41/session,                                buildkit.session,     HIJACK,    ",
      "POST,   /grpc,                                         buildkit.grpc,        HIJACK,    ",
      "POST,   /v1.41/grpc,                                   buildkit.grpc,        HIJACK,    ",
      // swarm and plugins
      "GET,    /v1.41/services/web,                           swarm.read,           PLAIN,     ",
      "POST,   /v1.41/services/create,                        swarm.write,          PLAIN,     ",
      "POST,   /v1.41/plugins/vieux/sshfs:latest/enable,      plugins.manage,       PLAIN,     vieux/sshfs:latest",
      // unlisted: unknown path, or a known path with a method the table does not list
      "GET,    /v1.41/containers/web/frobnicate,              unlisted,             PLAIN,     ",
      "PATCH,  /v1.41/containers/json,                        unlisted,             PLAIN,     ",
      "GET,    /session,                                      unlisted,             PLAIN,     ",
      "DELETE, /v1.41/exec/e0f1/start,                        unlisted,             PLAIN,     ",
      "GET,    /,                                             unlisted,             PLAIN,     ",
  })
  void endpointTable_classifiesEachCall(String method, String target, String family, StreamMode mode, String objectId) {
    ApiCall call = classifier.classify(method, target);

    assertThat(call.family()).isEqualTo(family);
    assertThat(call.mode()).isEqualTo(mode);
    assertThat(call.objectId()).isEqualTo(objectId);
    assertThat(call.mayHijack()).isEqualTo(mode == StreamMode.HIJACK);
  }

  @ParameterizedTest(name = "{0} -> version {1}, path {2}")
  @CsvSource({
      "/v1.41/containers/web/json?size=1, 1.41, /containers/web/json",
      "/v1.24/info,                       1.24, /info",
      "/containers/web/json,                  , /containers/web/json",
      "/v1.41,                            1.41, /",
  })
  void versionPrefix_isSplitOffBeforeMatching(String target, String version, String path) {
    ApiCall call = classifier.classify("GET", target);

    assertThat(call.apiVersion()).isEqualTo(version);
    assertThat(call.path()).isEqualTo(path);
  }

  @Test
  void versionedAndUnversionedCalls_classifyTheSame() {
    ApiCall versioned = classifier.classify("POST", "/v1.41/containers/web/attach?stream=1");
    ApiCall unversioned = classifier.classify("POST", "/containers/web/attach?stream=1");

    assertThat(unversioned.family()).isEqualTo(versioned.family()).isEqualTo("containers.attach");
    assertThat(unversioned.mode()).isEqualTo(versioned.mode()).isEqualTo(StreamMode.HIJACK);
    assertThat(unversioned.objectId()).isEqualTo(versioned.objectId()).isEqualTo("web");
  }

  @Test
  void percentEncodedTraversal_isResolvedBeforeMatching() {
    // Looks like an inspect of container "x", but the daemon would see /images/json.
    ApiCall call = classifier.classify("GET", "/v1.41/containers/x/%2e%2e/%2E%2E/images/json");

    assertThat(call.family()).isEqualTo("images.list");
    assertThat(call.path()).isEqualTo("/images/json");
    assertThat(call.objectId()).isNull();
  }

  @Test
  void traversalOutOfAHijackCall_losesTheHijackMode() {
    ApiCall call = classifier.classify("POST", "/v1.41/exec/e1/start/../../../containers/create");

    assertThat(call.family()).isEqualTo("containers.create");
    assertThat(call.mayHijack()).isFalse();
  }

  @Test
  void percentEncodedObjectId_isDecodedOnce() {
    ApiCall call = classifier.classify("GET", "/v1.41/images/library%2Fbusybox%3Alocal/json");

    assertThat(call.family()).isEqualTo("images.inspect");
    assertThat(call.objectId()).isEqualTo("library/busybox:local");
  }

  @Test
  void doubleEncodedTraversal_staysInTheObjectId() {
    ApiCall call = classifier.classify("GET", "/v1.41/containers/%252e%252e/json");

    assertThat(call.family()).isEqualTo("containers.inspect");
    assertThat(call.objectId()).isEqualTo("%2e%2e");
  }

  @Test
  void emptySegments_doNotHideAHijackCall() {
    ApiCall call = classifier.classify("POST", "//v1.41//exec//e1//start");

    assertThat(call.family()).isEqualTo("exec.start");
    assertThat(call.mode()).isEqualTo(StreamMode.HIJACK);
    assertThat(call.objectId()).isEqualTo("e1");
  }

  @Test
  void methodMatching_isCaseSensitive() {
    assertThat(classifier.classify("get", "/v1.41/containers/json").family()).isEqualTo("unlisted");
  }

  @Test
  void malformedTarget_isRefusedWithIllegalArgument() {
    assertThatThrownBy(() -> classifier.classify("GET", "/v1.41/containers/%zz/json"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> classifier.classify("GET", "containers/json"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyTableEntry_hasAFamilyOfServiceDotVerb() {
    Set<String> families = new HashSet<>();
    for (EndpointTable.Entry entry : EndpointTable.ENTRIES) {
      assertThat(entry.family()).matches("[a-z]+\\.[a-z-]+");
      assertThat(entry.methods()).isNotEmpty().allMatch(m -> m.matches("[A-Z]+"));
      families.add(entry.family());
    }
    assertThat(families).doesNotContain("unlisted");
  }

  @Test
  void entriesThatCaptureAnObject_haveACaptureGroup() {
    for (EndpointTable.Entry entry : EndpointTable.ENTRIES) {
      if (entry.capturesObject()) {
        assertThat(entry.pattern().matcher("").groupCount())
            .as("capture group of %s %s", entry.family(), entry.pattern())
            .isGreaterThanOrEqualTo(1);
      }
    }
  }

  @Test
  void hijackFamilies_areExactlyAttachExecStartAndBuildKit() {
    Set<String> hijack = new HashSet<>();
    for (EndpointTable.Entry entry : EndpointTable.ENTRIES) {
      if (entry.mode() == StreamMode.HIJACK) {
        hijack.add(entry.family());
      }
    }
    assertThat(hijack).containsExactlyInAnyOrder("containers.attach", "exec.start", "buildkit.session", "buildkit.grpc");
  }
}
