package io.portcullis.app.it;

import static io.portcullis.app.it.Gateway.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cross-tenant matrix, at the API: tenant A owns a container, an exec instance, a volume, a
 * network and an image; tenant B calls every object-addressed endpoint on each of them by full ID,
 * ID prefix and name, and gets 404 every time; A gets an answer for the same read calls; and after
 * all of B's calls (stop, kill, remove among them) A's objects are all still there.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrossTenantMatrixIT {
  static final String LABEL = "portcullis-it=matrix";
  static Gateway gateway;
  static Path bundleA;
  static Path bundleB;
  static String container;
  static String containerId;
  static String execId;
  static String volume;
  static String network;
  static String networkId;
  static String image;
  static String imageId;

  @BeforeAll
  static void start() throws Exception {
    gateway = Gateway.shared();
    bundleA = gateway.tenantBundle;
    bundleB = Files.createTempDirectory("portcullis-it-matrix").resolve("b");
    gateway.onboarding().addTenant("matrix-b", io.portcullis.auth.ca.Role.TENANT, bundleB, io.portcullis.auth.ca.KeyType.EC);
    DockerCli a = gateway.tlsCli();
    container = Gateway.uniqueName();
    volume = "vol-" + Gateway.uniqueName();
    network = "net-" + Gateway.uniqueName();
    image = "portcullis-it-matrix-" + Gateway.uniqueName() + ":1";
    a.run("volume", "create", volume).ok();
    networkId = a.run("network", "create", network).ok().out().trim();
    containerId = a.run("run", "-d", "--network", "none", "--label", LABEL, "--name", container, "-v", volume + ":/v",
        IMAGE, "sleep", "300").ok().out().trim();
    a.run("commit", container, image).ok();
    imageId = a.run("image", "inspect", "--format", "{{.Id}}", image).ok().out().trim();
    String[] exec = call(bundleA, "POST", "/v1.41/containers/" + containerId + "/exec", "{\"Cmd\":[\"true\"]}");
    assertThat(exec[0]).startsWith("HTTP/1.1 201");
    execId = new JsonObject(exec[1]).getString("Id");
  }

  @AfterAll
  static void cleanUp() {
    gateway.removeContainersLabelled(LABEL);
    gateway.direct().run("rmi", "-f", image);
    gateway.direct().run("volume", "rm", "-f", "it." + volume);
    gateway.direct().run("network", "rm", "it." + network);
  }

  /** Method, path template ({} is the reference) and body, for every container-addressed call. */
  static final String[][] CONTAINER_CALLS = {
      {"GET", "/containers/{}/json", null}, {"GET", "/containers/{}/top", null}, {"GET", "/containers/{}/logs?stdout=1", null},
      {"GET", "/containers/{}/changes", null}, {"GET", "/containers/{}/export", null},
      {"GET", "/containers/{}/stats?stream=false", null}, {"GET", "/containers/{}/archive?path=/etc", null},
      {"HEAD", "/containers/{}/archive?path=/etc", null}, {"PUT", "/containers/{}/archive?path=/tmp", ""},
      {"POST", "/containers/{}/resize?h=10&w=10", ""}, {"POST", "/containers/{}/start", ""},
      {"POST", "/containers/{}/stop?t=0", ""}, {"POST", "/containers/{}/restart?t=0", ""}, {"POST", "/containers/{}/kill", ""},
      {"POST", "/containers/{}/update", "{\"Memory\":67108864}"}, {"POST", "/containers/{}/rename?name=stolen", ""},
      {"POST", "/containers/{}/pause", ""}, {"POST", "/containers/{}/unpause", ""},
      {"POST", "/containers/{}/attach?stream=1&stdout=1", ""}, {"GET", "/containers/{}/attach/ws?stream=1", null},
      {"POST", "/containers/{}/wait", ""}, {"POST", "/containers/{}/exec", "{\"Cmd\":[\"true\"]}"},
      {"POST", "/commit?container={}&repo=stolen", ""}, {"DELETE", "/containers/{}?force=1", null}};
  static final String[][] EXEC_CALLS = {
      {"GET", "/exec/{}/json", null}, {"POST", "/exec/{}/start", "{\"Detach\":true}"}, {"POST", "/exec/{}/resize?h=1&w=1", ""}};
  static final String[][] VOLUME_CALLS = {{"GET", "/volumes/{}", null}, {"DELETE", "/volumes/{}?force=1", null}};
  static final String[][] NETWORK_CALLS = {
      {"GET", "/networks/{}", null}, {"POST", "/networks/{}/connect", "{\"Container\":\"x\"}"},
      {"POST", "/networks/{}/disconnect", "{\"Container\":\"x\"}"}, {"DELETE", "/networks/{}", null}};
  static final String[][] IMAGE_CALLS = {
      {"GET", "/images/{}/json", null}, {"GET", "/images/{}/history", null}, {"GET", "/images/{}/get", null},
      {"GET", "/images/get?names={}", null}, {"POST", "/images/{}/tag?repo=stolen&tag=1", ""}, {"DELETE", "/images/{}?force=1", null}};

  @Test
  void tenantB_getsNotFound_forEveryCallOnEveryObjectOfTenantA_byIdPrefixAndName() throws Exception {
    List<String> failures = new ArrayList<>();
    expectNotFound(CONTAINER_CALLS, List.of(containerId, containerId.substring(0, 12), container), failures);
    expectNotFound(EXEC_CALLS, List.of(execId, execId.substring(0, 12)), failures);
    expectNotFound(VOLUME_CALLS, List.of(volume, "it." + volume), failures);
    expectNotFound(NETWORK_CALLS, List.of(networkId, networkId.substring(0, 12), network, "it." + network), failures);
    expectNotFound(IMAGE_CALLS, List.of(imageId, imageId.substring(7, 19), image), failures);
    assertThat(failures).as("calls of tenant B that did not get 404").isEmpty();

    // A's objects all survived B's stop, kill, rename and remove calls.
    DockerCli a = gateway.tlsCli();
    assertThat(a.run("inspect", "--format", "{{.State.Running}} {{.Name}}", container).ok().out().trim()).isEqualTo("true /" + container);
    a.run("volume", "inspect", volume).ok();
    a.run("network", "inspect", network).ok();
    a.run("image", "inspect", image).ok();
    assertThat(call(bundleA, "GET", "/v1.41/exec/" + execId + "/json", null)[0]).startsWith("HTTP/1.1 200");
  }

  @Test
  void tenantA_getsAnAnswer_forTheReadCallsOnItsOwnObjects_byIdPrefixAndName() throws Exception {
    List<String> failures = new ArrayList<>();
    String[][] reads = {{"GET", "/containers/{}/json", null}, {"GET", "/containers/{}/top", null},
        {"GET", "/containers/{}/logs?stdout=1", null}, {"GET", "/containers/{}/changes", null},
        {"GET", "/containers/{}/stats?stream=false", null}, {"HEAD", "/containers/{}/archive?path=/etc", null}};
    for (String ref : List.of(containerId, containerId.substring(0, 12), container)) {
      for (String[] c : reads) {
        String status = call(bundleA, c[0], "/v1.41" + c[1].replace("{}", ref), c[2])[0];
        if (!status.startsWith("HTTP/1.1 200")) {
          failures.add(c[0] + " " + c[1].replace("{}", ref) + " -> " + status);
        }
      }
    }
    for (String[] c : new String[][] {{"/volumes/" + volume}, {"/networks/" + network}, {"/networks/" + networkId},
        {"/images/" + image + "/json"}, {"/exec/" + execId + "/json"}}) {
      String status = call(bundleA, "GET", "/v1.41" + c[0], null)[0];
      if (!status.startsWith("HTTP/1.1 200")) {
        failures.add("GET " + c[0] + " -> " + status);
      }
    }
    assertThat(failures).as("tenant A's own calls that were not answered 200").isEmpty();
  }

  private static void expectNotFound(String[][] calls, List<String> refs, List<String> failures) throws Exception {
    for (String ref : refs) {
      for (String[] c : calls) {
        String target = "/v1.41" + c[1].replace("{}", ref);
        String[] answer = call(bundleB, c[0], target, c[2]);
        boolean notFound = answer[0].startsWith("HTTP/1.1 404");
        boolean says = c[0].equals("HEAD") || answer[1].toLowerCase().matches("(?s).*(no such|not found).*");
        if (!notFound || !says) {
          failures.add(c[0] + " " + target + " -> " + answer[0] + " " + answer[1]);
        }
      }
    }
  }

  /** One call on its own connection: the status line, and the body when it is a small JSON answer. */
  static String[] call(Path bundle, String method, String target, String body) throws Exception {
    try (var socket = TlsClient.connect(bundle, gateway.tlsPort)) {
      socket.setSoTimeout(20_000);
      byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      socket.getOutputStream().write((method + " " + target + " HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.append((char) b);
      }
      String length = RawConnection.header(head.toString(), "Content-Length");
      String answer = "";
      if (!method.equals("HEAD") && length != null && Integer.parseInt(length) < 65536) {
        answer = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
      }
      return new String[] {head.toString().split("\r\n")[0], answer};
    }
  }
}
