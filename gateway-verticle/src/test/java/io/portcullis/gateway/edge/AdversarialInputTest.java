package io.portcullis.gateway.edge;

import static io.portcullis.gateway.edge.EdgeUnderTest.header;
import static io.portcullis.gateway.edge.EdgeUnderTest.readHead;
import static io.portcullis.gateway.edge.EdgeUnderTest.readLine;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.portcullis.contracts.BackendHost;
import io.portcullis.gateway.GatewayConfig;
import io.portcullis.gateway.policy.CreatePolicy;
import io.portcullis.gateway.policy.PolicyConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Adversarial request input through the real edge, table by table: each row is the raw bytes a client
 * sends, the status it must get back, and either what the (scripted, recording) fake daemon must
 * receive or that nothing may reach it at all. Auth and registry are stand-ins on the event bus, the
 * tenant is {@code tenant-a}, and the object guard allows everything (ownership of addressed objects is
 * OwnershipIT's subject), so what is under test here is the path normaliser, the classifier, the call
 * policy, the filter scoping and the body checks of container, exec and volume creates.
 *
 * <p>After every row a fresh connection must still get {@code /_ping} answered: no input may take the
 * edge down with it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdversarialInputTest {
  private static final String TENANT = "tenant-a";
  private static final String OWNER_LABEL = "io.portcullis.tenant";
  private static final JsonObject ONLY_OURS = new JsonObject().put("label", new JsonArray().add(OWNER_LABEL + "=" + TENANT));
  private static final int MAX_JSON_BODY = PolicyConfig.defaults().maxJsonBodyBytes();
  /** GatewayConfig's default edge.maxInitialLineBytes. */
  private static final int MAX_INITIAL_LINE = 65536;
  private static final int SOCKET_TIMEOUT_MS = 15_000;

  private Vertx vertx;
  private RecordingBackend backend;
  private int edgePort;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
    backend = new RecordingBackend();
    BackendHost host = BackendHost.of("fake", "tcp://127.0.0.1:" + backend.port());
    GatewayConfig config = EdgeUnderTest.plaintextConfig();
    assertThat(config.maxInitialLineBytes()).isEqualTo(MAX_INITIAL_LINE);
    edgePort = EdgeUnderTest.start(vertx, host, TENANT, config);
  }

  @AfterEach
  void stop() throws Exception {
    backend.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Escapes a review found by hand against a real daemon; each now has its refusal. */
  static Stream<Arguments> reviewFindingRows() {
    String many = java.util.stream.IntStream.range(0, 1030).mapToObj(i -> "p" + i + "=1").collect(java.util.stream.Collectors.joining("&"));
    return Stream.of(
        row("a '#' in the target hides parameters from Netty but not from Go: refused",
            raw("POST /v1.41/images/x/tag?a=1#&repo=shared&tag=1 HTTP/1.1\r\nHost: gw\r\nContent-Length: 0\r\n\r\n"), 400, "'#'", null),
        row("more query parameters than the limit: refused",
            raw("POST /v1.41/images/x/tag?" + many + "&repo=shared HTTP/1.1\r\nHost: gw\r\nContent-Length: 0\r\n\r\n"), 400,
            "too many query parameters", null),
        row("MaskedPaths [] would unmask /proc: refused",
            post("/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"MaskedPaths\":[]}}"), 403, "HostConfig.MaskedPaths", null),
        row("ReadonlyPaths [] would make /proc/sys writable: refused",
            post("/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"ReadonlyPaths\":[]}}"), 403, "HostConfig.ReadonlyPaths", null),
        row("an inline seccomp profile that allows everything: refused",
            post("/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"SecurityOpt\":[\"seccomp={\\\"defaultAction\\\":\\\"SCMP_ACT_ALLOW\\\"}\"]}}"),
            403, "rule security-options", null),
        row("an SELinux type option: refused",
            post("/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"SecurityOpt\":[\"label=type:spc_t\"]}}"), 403, "rule security-options", null),
        row("no-new-privileges is the one security option allowed",
            post("/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"SecurityOpt\":[\"no-new-privileges:true\"]}}"), 200, null,
            forwardedBody("POST /containers/create HTTP/1.1", json -> assertThat(json.getJsonObject("HostConfig").getJsonArray("SecurityOpt"))
                .containsExactly("no-new-privileges:true"))),
        row("the host's cgroup namespace: refused",
            post("/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"CgroupnsMode\":\"host\"}}"), 403, "HostConfig.CgroupnsMode", null),
        row("an endpoint naming its network by NetworkID: refused",
            post("/containers/create", "{\"Image\":\"x\",\"NetworkingConfig\":{\"EndpointsConfig\":{\"mine\":{\"NetworkID\":\"other.net\"}}}}"),
            400, "NetworkID", null),
        row("network connect with an EndpointConfig.NetworkID: refused",
            post("/networks/mine/connect", "{\"Container\":\"c\",\"EndpointConfig\":{\"NetworkID\":\"other.net\"}}"), 400, "NetworkID", null),
        row("a BuildKit build (shared cache mounts, outputs that name any tag): refused",
            post("/build?version=2&t=mine", ""), 403, "BuildKit", null),
        row("a build with outputs: refused", post("/build?outputs=%5B%7B%22Type%22%3A%22moby%22%7D%5D", ""), 403, "BuildKit", null),
        row("the BuildKit session endpoint: refused", post("/session", ""), 403, "rule buildkit", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reviewFindingRows")
  void reviewFindings(Row row) throws Exception {
    run(row);
  }

  /**
   * Go's JSON decoder matches field names case-insensitively: every spelling of a checked field is
   * checked. And a Transfer-Encoding other than plain chunked is refused (request smuggling).
   */
  static Stream<Arguments> keySpellingAndFramingRows() {
    return Stream.of(
        row("containers.create: HostConfig/Privileged spelled in lower case pass CreatePolicy (Go's decoder matches keys case-insensitively)",
            post("/containers/create", "{\"Image\":\"x\",\"hostconfig\":{\"privileged\":true}}"), 403, "rule privileged", null),
        row("containers.create: Privileged in lower case inside HostConfig passes CreatePolicy",
            post("/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"privileged\":true}}"), 403, "rule privileged", null),
        row("containers.create: an exact-case false beside a lower-case true (Go keeps the last) is refused as ambiguous",
            post("/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"Privileged\":false,\"privileged\":true}}"), 400, "ambiguous JSON body", null),
        row("containers.create: a host bind mount under a lower-case binds key passes CreatePolicy",
            post("/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"binds\":[\"/:/host\"]}}"), 403, "rule host-bind-mounts", null),
        row("containers.create: host PID namespace under a lower-case pidmode key passes CreatePolicy",
            post("/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"pidmode\":\"host\"}}"), 403, "rule host-namespaces", null),
        row("containers.create: CAP_SYS_ADMIN under a lower-case capadd key passes CreatePolicy",
            post("/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"capadd\":[\"SYS_ADMIN\"]}}"), 403, "rule capabilities", null),
        row("exec.create: privileged in lower case passes the exec check (and the body is forwarded unchanged)",
            post("/containers/abc/exec", "{\"Cmd\":[\"sh\"],\"privileged\":true}"), 403, "rule privileged", null),
        row("volumes.create: bind driver options under a lower-case driveropts key pass the volume check",
            post("/volumes/create", "{\"Name\":\"v\",\"driveropts\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/etc\"}}"), 403,
            "rule host-bind-mounts", null),
        row("framing: Transfer-Encoding whose final coding is not chunked is forwarded, with Content-Length, instead of a 400",
            raw("POST /containers/abc/start HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: xchunked\r\nContent-Length: 0\r\n\r\n"), 400, null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keySpellingAndFramingRows")
  void keySpellingAndFraming(Row row) throws Exception {
    run(row);
  }

  /**
   * A call whose body the gateway reads holds the request head back until the whole body is in, so the
   * daemon cannot answer the client's {@code Expect: 100-continue}: the gateway does.
   */
  @org.junit.jupiter.api.Test
  void expectContinueOnAnInspectedBody_isAnsweredByTheGateway() throws Exception {
    try (Socket c = new Socket(InetAddress.getLoopbackAddress(), edgePort)) {
      c.setSoTimeout(4000);
      c.getOutputStream().write(raw("POST /containers/create HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
          + "Expect: 100-continue\r\nContent-Length: 13\r\n\r\n"));
      String head = readHead(c.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 100");
    }
  }


  // ---------------------------------------------------------------------------------------------
  // The tables

  /** Percent-encoding, dot segments, doubled slashes, version prefixes, bytes that are not UTF-8, length. */
  static Stream<Arguments> pathRows() {
    return Stream.of(
        row("encoded slash inside a listed path is decoded once and classified as containers.list",
            get("/containers%2Fjson"), 200, null, scopedTo("/containers/json", ONLY_OURS)),
        row("encoded slash and dot segments climbing out of a container id land on an unlisted call",
            get("/containers/abc%2F..%2F..%2Finfo/json"), 403, "GET /info/json", null),
        row("encoded dot segments that resolve to /info are classified as system.info, and /info is what is forwarded",
            get("/containers/abc%2F..%2F..%2Finfo"), 200, null, requestLine("GET /info HTTP/1.1")),
        row("double-encoded dots are decoded once only: a container named %2e%2e, not a parent segment",
            get("/containers/%252e%252e/json"), 200, null, requestLine("GET /containers/%252e%252e/json HTTP/1.1")),
        row("double-encoded dots do not climb: /containers/json/%2e%2e/%2e%2e/info stays unlisted",
            get("/containers/json/%252e%252e/%252e%252e/info"), 403, "GET /containers/json/%2e%2e/%2e%2e/info", null),
        row("dot segments above the root are clamped at the root",
            get("/../../../info"), 200, null, requestLine("GET /info HTTP/1.1")),
        row("dot segments above the root cannot reach a file path either",
            get("/../../etc/passwd"), 403, "GET /etc/passwd", null),
        row("doubled slashes are collapsed before classification, and the list is scoped",
            get("//containers//json"), 200, null, scopedTo("/containers/json", ONLY_OURS)),
        row("a version prefix eaten by .. is no version: /v1.41/../info is system.info",
            get("/v1.41/../info"), 200, null, requestLine("GET /info HTTP/1.1")),
        row("a doubled version prefix is unlisted",
            get("/v1.41/v1.41/_ping"), 403, "GET /v1.41/_ping", null),
        row("a version prefix Docker accepts but the table does not (/v1/) is unlisted",
            get("/v1/info"), 403, "GET /v1/info", null),
        row("a trailing .. turning /containers/abc/json into GET /containers/abc is unlisted",
            get("/v1.41/containers/abc/json/.."), 403, "GET /containers/abc", null),
        row("a percent byte that is not UTF-8 is refused",
            get("/containers/%ff/json"), 400, "not valid UTF-8", null),
        row("an overlong UTF-8 encoding of / is refused, not decoded to a slash",
            get("/containers/abc%c0%af..%c0%af..%c0%afinfo"), 400, "not valid UTF-8", null),
        row("a truncated percent escape is refused",
            get("/containers/json%2"), 400, "truncated percent-encoding", null),
        row("a percent escape that is not hex is refused",
            get("/containers/%zzjson"), 400, "invalid percent-encoding", null),
        row("a NUL byte makes a listed path unlisted, and the error is still valid JSON",
            get("/info%00"), 403, "GET /info\u0000", null),
        row("a NUL byte inside a container reference is forwarded still percent-encoded, never raw",
            get("/containers/abc%00/json"), 200, null, requestLine("GET /containers/abc%00/json HTTP/1.1")),
        row("a NUL byte inside a volume name is forwarded still percent-encoded, never raw",
            get("/volumes/a%00b"), 200, null, requestLine("GET /volumes/a%00b HTTP/1.1")),
        row("raw non-ASCII bytes in the request target are refused",
            get("/containers/\u00c3\u00a9/json"), 400, null, null),
        row("an absolute-form request target is refused",
            raw("GET http://127.0.0.1/info HTTP/1.1\r\nHost: gw\r\n\r\n"), 400, "absolute path", null),
        row("a path longer than edge.maxInitialLineBytes gets 414",
            get("/containers/" + "a".repeat(MAX_INITIAL_LINE) + "/json"), 414, "request line is too long", null),
        row("a query string longer than edge.maxInitialLineBytes gets 414",
            get("/containers/json?all=" + "1".repeat(MAX_INITIAL_LINE)), 414, "request line is too long", null),
        row("a long query string under the limit is forwarded, scoped, with its other parameters",
            get("/containers/json?all=1&x=" + "y".repeat(40_000)), 200, null,
            scopedTo("/containers/json", ONLY_OURS, "all", "1", "x", "y".repeat(40_000))),
        row("headers larger than edge.maxHeaderBytes get 431",
            raw("GET /_ping HTTP/1.1\r\nHost: gw\r\nX-Big: " + "b".repeat(70_000) + "\r\n\r\n"), 431, "headers are too large", null));
  }

  /** Owner-label filters injected through the query string of the three scoped list calls. */
  static Stream<Arguments> filterRows() {
    String otherArray = "{\"label\":[\"" + OWNER_LABEL + "=other\"]}";
    String otherMap = "{\"label\":{\"" + OWNER_LABEL + "=other\":true}}";
    List<Arguments> rows = new ArrayList<>();
    for (String path : List.of("/containers/json", "/volumes", "/events")) {
      rows.add(row("GET " + path + ": another tenant's label, list encoding",
          get(path + "?filters=" + enc(otherArray)), 200, null, scopedTo(path, scopeFor(path, ONLY_OURS))));
      rows.add(row("GET " + path + ": another tenant's label, map encoding",
          get(path + "?filters=" + enc(otherMap)), 200, null, scopedTo(path, scopeFor(path, ONLY_OURS))));
      rows.add(row("GET " + path + ": the owner label key alone (any owner)",
          get(path + "?filters=" + enc("{\"label\":[\"" + OWNER_LABEL + "\"]}")), 200, null, scopedTo(path, scopeFor(path, ONLY_OURS))));
      rows.add(row("GET " + path + ": duplicated filters parameter, injection second",
          get(path + "?filters=" + enc("{\"label\":[\"app=web\"]}") + "&filters=" + enc(otherArray)), 200, null,
          scopedTo(path, scopeFor(path, new JsonObject().put("label", new JsonArray().add("app=web").add(OWNER_LABEL + "=" + TENANT))))));
      rows.add(row("GET " + path + ": duplicated filters parameter, injection first",
          get(path + "?filters=" + enc(otherMap) + "&filters=" + enc("{\"label\":[\"app=web\"]}")), 200, null,
          scopedTo(path, scopeFor(path, ONLY_OURS))));
      rows.add(row("GET " + path + ": malformed filters JSON",
          get(path + "?filters=" + enc("{\"label\":[\"x\"")), 400, "invalid filters", null));
    }
    rows.addAll(List.of(
        row("no filters at all: the owner filter is added, other parameters kept",
            get("/v1.41/containers/json?all=1&size=0"), 200, null,
            scopedTo("/v1.41/containers/json", ONLY_OURS, "all", "1", "size", "0")),
        row("an empty filters parameter is no filter",
            get("/containers/json?filters="), 200, null, scopedTo("/containers/json", ONLY_OURS)),
        row("the tenant's own filters stay and are combined with the owner filter",
            get("/containers/json?filters=" + enc("{\"label\":[\"app=web\",\"" + OWNER_LABEL + "=other\"],\"status\":[\"running\"]}")),
            200, null, scopedTo("/containers/json", new JsonObject()
                .put("label", new JsonArray().add("app=web").add(OWNER_LABEL + "=" + TENANT))
                .put("status", new JsonArray().add("running")))),
        row("map encoding with a false entry: the false entry is dropped",
            get("/containers/json?filters=" + enc("{\"label\":{\"" + OWNER_LABEL + "=tenant-a\":false,\"" + OWNER_LABEL + "=other\":true}}")),
            200, null, scopedTo("/containers/json", ONLY_OURS)),
        row("a percent-encoded parameter name (fil%74ers) is still read as filters",
            get("/containers/json?fil%74ers=" + enc(otherArray)), 200, null, scopedTo("/containers/json", ONLY_OURS)),
        row("JSON unicode escapes in the filter key and value are decoded before the owner label is matched",
            get("/containers/json?filters=" + enc("{\"\\u006cabel\":[\"io.portcullis.tenant\\u003dother\"]}")), 200, null,
            scopedTo("/containers/json", ONLY_OURS)),
        row("a duplicated label key inside the filters JSON: the last one is read, and scoped",
            get("/containers/json?filters=" + enc("{\"label\":[\"app=web\"],\"label\":[\"" + OWNER_LABEL + "=other\"]}")), 200, null,
            scopedTo("/containers/json", ONLY_OURS)),
        row("filters with a label value that is not a list are refused",
            get("/containers/json?filters=" + enc("{\"label\":\"" + OWNER_LABEL + "=other\"}")), 400, "must be a list", null),
        row("filters that are a JSON array are refused",
            get("/events?filters=" + enc("[\"" + OWNER_LABEL + "=other\"]")), 400, "invalid filters", null),
        row("filters that are JSON null are refused",
            get("/containers/json?filters=null"), 400, "invalid filters", null),
        row("a filters value with a broken percent escape is refused",
            get("/containers/json?filters=%zz"), 400, null, null),
        row("filters sent with raw (unencoded) JSON characters are read the same way, and scoped",
            raw("GET /containers/json?filters={\"label\":[\"" + OWNER_LABEL + "=other\"]} HTTP/1.1\r\nHost: gw\r\n\r\n"), 200, null,
            scopedTo("/containers/json", ONLY_OURS)),
        row("filters that are a JSON string are refused",
            get("/volumes?filters=" + enc("\"label\"")), 400, "invalid filters", null),
        row("filters JSON nested beyond the parser's depth limit are refused",
            get("/containers/json?filters=" + enc("{\"label\":" + "[".repeat(2000))), 400, "invalid filters", null),
        row("a filters parameter on the /v1.41 events stream is scoped",
            get("/v1.41/events?since=0&filters=" + enc(otherMap)), 200, null, scopedTo("/v1.41/events", scopeFor("/events", ONLY_OURS), "since", "0")),
        row("container prune is narrowed to the tenant's containers, whatever label it gives",
            post("/containers/prune?filters=" + enc(otherArray), ""), 200, null, scopedPrune("/containers/prune")),
        row("volume prune is narrowed to the tenant's volumes",
            post("/v1.41/volumes/prune?filters=" + enc(otherMap), ""), 200, null, scopedPrune("/v1.41/volumes/prune")),
        row("network prune through an encoded slash is still narrowed",
            post("/networks%2Fprune", ""), 200, null, scopedPrune("/networks/prune")),
        row("image prune through dot segments is still narrowed",
            post("/images/abc/../prune", ""), 200, null, scopedPrune("/images/prune"))));
    return rows.stream();
  }

  /** Calls the table does not list, and the ones the call policy refuses (prune included). */
  static Stream<Arguments> refusedCallRows() {
    return Stream.of(
        row("GET /foo is unlisted", get("/foo"), 403, "the call GET /foo is not allowed through this gateway", null),
        row("GET / is unlisted", get("/"), 403, "the call GET / is not allowed", null),
        row("POST /swarm/init is swarm.manage", post("/swarm/init", "{}"), 403,
            "the call POST /swarm/init (swarm.manage) is not available to tenants", null),
        row("DELETE /plugins/x is plugins.remove", request("DELETE", "/plugins/x", null), 403,
            "the call DELETE /plugins/x (plugins.remove) is not available", null),
        row("GET /swarm/unlockkey is refused", get("/v1.41/swarm/unlockkey"), 403, "(swarm.unlockkey)", null),
        row("POST /services/create is swarm.write", post("/services/create", "{}"), 403, "(swarm.write)", null),
        row("a method the table does not list for a listed path is unlisted", request("PATCH", "/containers/json", null), 403,
            "the call PATCH /containers/json is not allowed", null),
        row("a lower-case method is not GET", raw("get /_ping HTTP/1.1\r\nHost: gw\r\n\r\n"), 403, "the call get /_ping", null),
        row("POST /images/load is refused: the tags inside the archive cannot be checked", post("/images/load", ""), 403,
            "(images.load)", null));
  }

  @Test
  void buildCachePrune_isAnsweredByTheGateway_nothingDeleted_andTheConnectionServesOn() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), edgePort)) {
      socket.setSoTimeout(10_000);
      var out = socket.getOutputStream();
      var in = new java.io.BufferedInputStream(socket.getInputStream());
      out.write("POST /v1.41/build/prune HTTP/1.1\r\nHost: gw\r\nContent-Length: 0\r\n\r\nGET /_ping HTTP/1.1\r\nHost: gw\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = readHead(in);
      assertThat(head).startsWith("HTTP/1.1 200");
      byte[] body = in.readNBytes(Integer.parseInt(header(head, "Content-Length")));
      assertThat(new JsonObject(new String(body, StandardCharsets.UTF_8)).getLong("SpaceReclaimed")).isZero();
      assertThat(readHead(in)).as("the next request on the connection").startsWith("HTTP/1.1 200");
    }
    Received forwarded = backend.received.poll(2, TimeUnit.SECONDS);
    assertThat(forwarded).as("only the ping reaches the daemon").isNotNull();
    assertThat(forwarded.requestLine()).startsWith("GET /_ping");
    assertThat(backend.received.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  /**
   * JSON bombs in the bodies and parameters the gateway parses: each is refused or forwarded within a
   * bound of time, never a stack overflow or seconds of work. The body bound ({@code
   * policy.maxJsonBodyBytes}, 1 MiB) caps the size, the parser's nesting limit (1000) the depth.
   */
  static Stream<Arguments> jsonBombRows() {
    List<Arguments> rows = new ArrayList<>();
    for (String path : List.of("/containers/create", "/containers/abc/exec")) {
      String prefix = path.endsWith("create") ? "{\"Image\":\"x\",\"Cmd\":[" : "{\"Cmd\":[";
      int elements = (MAX_JSON_BODY - prefix.length() - 2) / 2;
      String tinyArray = prefix + "0,".repeat(elements - 1) + "0]}";
      rows.add(row("POST " + path + ": a 1 MiB array of tiny elements is read within bounds and forwarded",
          post(path, tinyArray), 200, null, received -> assertThat(new JsonObject(new String(received.body(), StandardCharsets.UTF_8))
              .getJsonArray("Cmd")).hasSize(elements)));
      rows.add(row("POST " + path + ": the same array one element over the size bound gets 413",
          post(path, prefix + "0,".repeat(elements + 1) + "0]}"), 413, "larger than " + MAX_JSON_BODY, null));
      rows.add(row("POST " + path + ": 500k nested [ within the size bound is a 400",
          post(path, prefix + "[".repeat(500_000)), 400, "invalid JSON body", null));
      rows.add(row("POST " + path + ": nested objects 300k deep within the size bound are a 400",
          post(path, "{\"a\":".repeat(200_000)), 400, "invalid JSON body", null));
    }
    int mounts = (MAX_JSON_BODY - 64) / 3;
    rows.add(row("containers.create: 350k empty mount objects (each a struct the policy reads) are refused or forwarded in bounds",
        post("/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"Mounts\":[" + "{},".repeat(mounts - 1) + "{}]}}"), 200, null,
        received -> assertThat(new JsonObject(new String(received.body(), StandardCharsets.UTF_8)).getJsonObject("HostConfig")
            .getJsonArray("Mounts")).hasSize(mounts)));
    rows.add(row("containers.create: a wide object of 80k keys under Labels is forwarded in bounds",
        post("/containers/create", "{\"Image\":\"x\",\"Labels\":{" + java.util.stream.IntStream.range(0, 80_000)
            .mapToObj(i -> "\"k" + i + "\":\"\"").collect(java.util.stream.Collectors.joining(",")) + "}}"), 200, null,
        received -> assertThat(new JsonObject(new String(received.body(), StandardCharsets.UTF_8)).getJsonObject("Labels").size())
            .isEqualTo(80_001)));
    rows.add(row("images.build: labels nested 5000 deep in the query are a 400",
        post("/build?labels=" + enc("{\"a\":".repeat(5000)), ""), 400, "invalid labels", null));
    rows.add(row("images.build: labels that are a 10k-element array are a 400",
        post("/build?labels=" + enc("[" + "0,".repeat(10_000) + "0]"), ""), 400, "invalid labels", null));
    return rows.stream();
  }

  /** What a JSON bomb may cost at most, end to end, on a slow shared CI machine. */
  private static final long JSON_BOMB_BOUND_MS = 5_000;

  @ParameterizedTest(name = "{0}")
  @MethodSource("jsonBombRows")
  void jsonBombs(Row row) throws Exception {
    long started = System.nanoTime();
    run(row);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("milliseconds for the row").isLessThan(JSON_BOMB_BOUND_MS);
  }

  /** Bodies the gateway reads: container create, exec create, volume create. */
  static Stream<Arguments> bodyRows() {
    List<Arguments> rows = new ArrayList<>();
    for (String path : List.of("/containers/create", "/containers/abc/exec", "/volumes/create")) {
      rows.add(row("POST " + path + ": malformed JSON", post(path, "{\"Image\":"), 400, "invalid JSON body", null));
      rows.add(row("POST " + path + ": a JSON array instead of an object", post(path, "[{\"Image\":\"x\"}]"), 400, "invalid JSON body", null));
      rows.add(row("POST " + path + ": a JSON string instead of an object", post(path, "\"x\""), 400, "invalid JSON body", null));
      rows.add(row("POST " + path + ": 100k nested [ is a 400, not a crash", post(path, "[".repeat(100_000)), 400, "invalid JSON body", null));
      rows.add(row("POST " + path + ": 100k nested objects inside a valid prefix",
          post(path, "{\"Labels\":" + "{\"a\":".repeat(100_000)), 400, "invalid JSON body", null));
      rows.add(row("POST " + path + ": a body one byte over policy.maxJsonBodyBytes gets 413",
          post(path, jsonOfLength(MAX_JSON_BODY + 1)), 413, "larger than " + MAX_JSON_BODY, null));
      rows.add(row("POST " + path + ": a chunked body over policy.maxJsonBodyBytes gets 413",
          chunkedPost(path, jsonOfLength(MAX_JSON_BODY + 70_000), 60_000), 413, "larger than " + MAX_JSON_BODY, null));
    }
    String hugeCmd = "{\"Image\":\"x\",\"Cmd\":[" + "\"a\",".repeat(200_000) + "\"a\"]}";
    rows.addAll(List.of(
        row("containers.create: Privileged through the allow-everything guard still meets CreatePolicy",
            post("/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"Privileged\":true}}"), 403,
            "(field HostConfig.Privileged, rule privileged)", null),
        row("containers.create: a host bind mount is refused",
            post("/v1.41/containers/create?name=x", "{\"Image\":\"x\",\"HostConfig\":{\"Binds\":[\"/:/host\"]}}"), 403,
            "rule host-bind-mounts", null),
        row("containers.create: a JSON array of 200k elements under the size bound is forwarded, stamped",
            post("/containers/create", hugeCmd), 200, null, forwardedBody("POST /containers/create HTTP/1.1", json -> {
              assertThat(json.getJsonArray("Cmd")).hasSize(200_001);
              assertThat(json.getJsonObject("Labels").getMap()).containsExactly(java.util.Map.entry(OWNER_LABEL, TENANT));
            })),
        row("containers.create: an owner label the tenant supplied is overwritten",
            post("/containers/create", "{\"Image\":\"x\",\"Labels\":{\"" + OWNER_LABEL + "\":\"other\",\"app\":\"web\"}}"), 200, null,
            forwardedBody("POST /containers/create HTTP/1.1", json -> assertThat(json.getJsonObject("Labels").getMap())
                .containsOnly(java.util.Map.entry(OWNER_LABEL, TENANT), java.util.Map.entry("app", "web")))),
        row("containers.create: Labels that are not an object are replaced by the owner label",
            post("/containers/create", "{\"Image\":\"x\",\"Labels\":[\"" + OWNER_LABEL + "=other\"]}"), 200, null,
            forwardedBody("POST /containers/create HTTP/1.1", json -> assertThat(json.getJsonObject("Labels").getMap())
                .containsExactly(java.util.Map.entry(OWNER_LABEL, TENANT)))),
        row("containers.create: a duplicated HostConfig key is read as the last one, and the body forwarded is the one checked",
            post("/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"Privileged\":false},\"HostConfig\":{\"Privileged\":true}}"), 403,
            "rule privileged", null),
        row("containers.create: a duplicated HostConfig key hiding Privileged first is not forwarded with it",
            post("/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"Privileged\":true},\"HostConfig\":{}}"), 200, null,
            forwardedBody("POST /containers/create HTTP/1.1", json -> assertThat(json.getJsonObject("HostConfig").fieldNames())
                .doesNotContain("Privileged"))),
        row("containers.create: trailing bytes after the JSON object are refused",
            post("/containers/create", "{\"Image\":\"x\"} {\"HostConfig\":{\"Privileged\":true}}"), 400, "invalid JSON body", null),
        row("containers.create: a number with 2000 digits is refused by the parser's bounds",
            post("/containers/create", "{\"Image\":\"x\",\"Memory\":" + "9".repeat(2000) + "}"), 400, "invalid JSON body", null),
        row("containers.create: a JSON null body is refused",
            post("/containers/create", "null"), 400, "invalid JSON body", null),
        row("containers.create: an empty body is an empty create, stamped",
            post("/containers/create", ""), 200, null, forwardedBody("POST /containers/create HTTP/1.1",
                json -> assertThat(json.getJsonObject("Labels").getString(OWNER_LABEL)).isEqualTo(TENANT))),
        row("containers.create: nesting exactly at the parser's depth limit (1000) is forwarded",
            post("/containers/create", "{\"Image\":\"x\",\"Cmd\":" + "[".repeat(998) + "]".repeat(998) + "}"), 200, null,
            forwardedBody("POST /containers/create HTTP/1.1", json -> assertThat(json.getString("Image")).isEqualTo("x"))),
        row("containers.create: one level deeper (1001) is a 400",
            post("/containers/create", "{\"Image\":\"x\",\"Cmd\":" + "[".repeat(1000) + "]".repeat(1000) + "}"), 400,
            "invalid JSON body", null),
        row("containers.create: a chunked body with a malformed chunk size is a 400",
            raw("POST /containers/create HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\n{}\r\n0\r\n\r\n"), 400, null, null),
        row("exec.create: Privileged is refused",
            post("/containers/abc/exec", "{\"Cmd\":[\"sh\"],\"Privileged\":true}"), 403, "(field Privileged, rule privileged)", null),
        row("exec.create: a plain exec is forwarded with its body unchanged",
            post("/containers/abc/exec", "{\"Cmd\":[\"sh\"]}"), 200, null,
            forwardedBody("POST /containers/abc/exec HTTP/1.1", json -> assertThat(json.encode()).isEqualTo("{\"Cmd\":[\"sh\"]}"))),
        row("volumes.create: driver options binding a host path are refused",
            post("/volumes/create", "{\"Name\":\"v\",\"DriverOpts\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/etc\"}}"), 403,
            "rule host-bind-mounts", null),
        row("volumes.create: an owner label the tenant supplied is overwritten",
            post("/volumes/create", "{\"Name\":\"v\",\"Labels\":{\"" + OWNER_LABEL + "\":\"other\"}}"), 200, null,
            forwardedBody("POST /volumes/create HTTP/1.1", json -> assertThat(json.getJsonObject("Labels").getMap())
                .containsExactly(java.util.Map.entry(OWNER_LABEL, TENANT))))));
    return rows.stream();
  }

  /**
   * Body framing and head syntax a front end and a daemon could read differently (request smuggling).
   * Every refusal here also closes the connection: after a framing error the next request cannot be
   * found on the wire ({@link #framingRefusalsCloseTheConnection_andNothingReachesTheDaemon}).
   */
  /** The framing rows that are refused (the others are forwarded, normalised). */
  static Stream<Arguments> framingRefusals() {
    return framingRows().filter(a -> ((Row) ((Named<?>) a.get()[0]).getPayload()).forwarded() == null);
  }

  static Stream<Arguments> framingRows() {
    String start = "POST /containers/abc/start HTTP/1.1\r\nHost: gw\r\n";
    String chunked = start + "Transfer-Encoding: chunked\r\n\r\n";
    return Stream.of(
        row("two different Content-Length values are refused",
            raw(start + "Content-Length: 0\r\nContent-Length: 5\r\n\r\nhello"), 400, "Multiple Content-Length", null),
        row("two equal Content-Length headers are refused too (RFC 9112 allows either; Netty refuses)",
            raw(start + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello"), 400, "Multiple Content-Length", null),
        row("a Content-Length list of equal values is refused",
            raw(start + "Content-Length: 5, 5\r\n\r\nhello"), 400, "Multiple Content-Length", null),
        row("a negative Content-Length is refused",
            raw(start + "Content-Length: -1\r\n\r\n"), 400, null, null),
        row("a Content-Length with a sign is refused", raw(start + "Content-Length: +5\r\n\r\nhello"), 400, "not a number", null),
        row("whitespace between a header name and its colon is refused (Transfer-Encoding obfuscation)",
            raw(start + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n"), 400, null, null),
        row("Content-Length and Transfer-Encoding: chunked together are refused",
            raw(start + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400, "both Content-Length and Transfer-Encoding", null),
        row("Transfer-Encoding first, then Content-Length: refused the same",
            raw(start + "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n"), 400, "both Content-Length and Transfer-Encoding", null),
        row("HTTP/1.0 with Content-Length and Transfer-Encoding: chunked is refused as well",
            raw("POST /containers/abc/start HTTP/1.0\r\nHost: gw\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
            400, "both Content-Length and Transfer-Encoding", null),
        row("a Transfer-Encoding list (gzip, chunked) is refused",
            raw(start + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"), 400, "unsupported Transfer-Encoding", null),
        row("two Transfer-Encoding headers are refused",
            raw(start + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400, "unsupported Transfer-Encoding", null),
        row("a folded header line (obs-fold) is refused",
            raw("GET /_ping HTTP/1.1\r\nHost: gw\r\nX-A: one\r\n two\r\n\r\n"), 400, "obs-fold", null),
        row("a folded line with a tab hiding Transfer-Encoding in the previous header is refused",
            raw(start + "X-A: one\r\n\tTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n"), 400, "obs-fold", null),
        row("a whitespace line between the request line and the first header is refused",
            raw("GET /_ping HTTP/1.1\r\n Host: gw\r\n\r\n"), 400, "obs-fold", null),
        row("bare LF line ends are refused (Netty's strict line parsing; RFC 9112 would allow accepting them)",
            raw("GET /_ping HTTP/1.1\nHost: gw\n\n"), 400, "Line Feed must be preceded by Carriage Return", null),
        row("a bare LF ending one header line is refused",
            raw("GET /_ping HTTP/1.1\r\nHost: gw\nX-A: 1\r\n\r\n"), 400, "Carriage Return", null),
        row("a bare CR inside the request line is refused",
            raw("GET /_ping HTTP/1.1\rHost: gw\r\n\r\n"), 400, null, null),
        row("invalid chunk size (not hex) on a streamed call is refused",
            raw(chunked + "zz\r\nab\r\n0\r\n\r\n"), 400, "chunk size", null),
        row("negative chunk size is refused", raw(chunked + "-2\r\nab\r\n0\r\n\r\n"), 400, "chunk size", null),
        row("a 0x prefix on a chunk size is refused", raw(chunked + "0x2\r\nab\r\n0\r\n\r\n"), 400, "chunk size", null),
        row("a chunk size that overflows 64 bits is refused", raw(chunked + "1ffffffffffffffff\r\nab\r\n0\r\n\r\n"), 400, "overflow", null),
        row("an empty chunk size line is refused", raw(chunked + "\r\nab\r\n0\r\n\r\n"), 400, null, null),
        row("a chunk longer than its size says is refused", raw(chunked + "2\r\nabc\r\n0\r\n\r\n"), 400, "CR LF", null),
        row("a chunk size line ended by a bare LF is refused", raw(chunked + "2\nab\r\n0\r\n\r\n"), 400, "Carriage Return", null),
        row("a chunk extension ended by a bare LF is refused", raw(chunked + "2;x\nab\r\n0\r\n\r\n"), 400, "Carriage Return", null),
        row("a chunk extension is dropped: the daemon gets the body re-chunked by the gateway",
            raw(chunked + "2;name=value\r\nab\r\n0\r\n\r\n"), 200, null, rechunked("ab")),
        row("junk after a chunk size is read as Netty reads it (up to the first space) and re-chunked, never passed raw",
            raw(chunked + "2 2\r\nab\r\n0\r\n\r\n"), 200, null, rechunked("ab")));
  }

  /** The daemon received the start call with chunked framing of the gateway's own and this body. */
  static Consumer<Received> rechunked(String body) {
    return received -> {
      assertThat(received.requestLine()).isEqualTo("POST /containers/abc/start HTTP/1.1");
      assertThat(header(received.head(), "Transfer-Encoding")).isEqualToIgnoringCase("chunked");
      assertThat(received.rawBody()).isEqualTo(Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");
    };
  }

  /**
   * Every refused framing row again, checking what the table cannot: the connection is closed after
   * the answer (the client learns no next request will be read), and the daemon saw nothing, not even a
   * request head.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("framingRefusals")
  void framingRefusalsCloseTheConnection_andNothingReachesTheDaemon(Row row) throws Exception {
    try (Socket c = new Socket(InetAddress.getLoopbackAddress(), edgePort)) {
      c.setSoTimeout(SOCKET_TIMEOUT_MS);
      // A valid request after the bad one: it must never be read as a request of its own.
      c.getOutputStream().write(concat(row.request(), raw("GET /_ping HTTP/1.1\r\nHost: gw\r\n\r\n")));
      InputStream in = c.getInputStream();
      String head = readHead(in);
      assertThat(head).startsWith("HTTP/1.1 " + row.status());
      assertThat(header(head, "Connection")).isEqualToIgnoringCase("close");
      in.readNBytes(Integer.parseInt(header(head, "Content-Length")));
      assertClosed(in);
    }
    assertThat(backend.heads.poll(500, TimeUnit.MILLISECONDS)).as("no request head reaches the daemon").isNull();
    assertThat(backend.received).isEmpty();
  }

  /** The peer closed (end of stream, or a reset): not merely silent until the timeout. */
  static void assertClosed(InputStream in) throws IOException {
    try {
      assertThat(in.read()).as("end of stream").isEqualTo(-1);
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("the connection was left open", e);
    } catch (SocketException reset) {
      // closed with a reset: closed all the same
    }
  }

  /**
   * An {@code Upgrade} header on a call that may not hijack (a container list) does not turn the
   * connection into a raw stream: the header is not forwarded, the answer is plain HTTP, and the next
   * request on the same connection is read as HTTP and answered.
   */
  @Test
  void upgradeOnAPlainEndpoint_isNotAHijack_andTheConnectionServesOn() throws Exception {
    try (Socket c = new Socket(InetAddress.getLoopbackAddress(), edgePort)) {
      c.setSoTimeout(SOCKET_TIMEOUT_MS);
      c.getOutputStream().write(raw("GET /containers/json HTTP/1.1\r\nHost: gw\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
          + "GET /_ping HTTP/1.1\r\nHost: gw\r\n\r\n"));
      InputStream in = c.getInputStream();
      String first = readHead(in);
      assertThat(first).startsWith("HTTP/1.1 200");
      assertThat(header(first, "Upgrade")).isNull();
      assertThat(new String(in.readNBytes(Integer.parseInt(header(first, "Content-Length"))), StandardCharsets.UTF_8)).isEqualTo("[]");
      String second = readHead(in);
      assertThat(second).as("the bytes after the request are read as the next request").startsWith("HTTP/1.1 200");
    }
    Received list = backend.received.poll(10, TimeUnit.SECONDS);
    assertThat(list.requestLine()).startsWith("GET /containers/json?");
    assertThat(header(list.head(), "Upgrade")).isNull();
    assertThat(header(list.head(), "Connection")).isNull();
    assertThat(backend.received.poll(10, TimeUnit.SECONDS).requestLine()).isEqualTo("GET /_ping HTTP/1.1");
  }

  /**
   * A client that sends a head announcing a body and then half-closes (shuts its write side) is answered
   * or closed within a bound, never left hanging; and the daemon is not left holding a half request: it
   * either never saw it or saw its connection closed before the body was complete.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("halfClosedRows")
  void halfCloseBeforeTheBody_isAnsweredOrClosed_andNoHalfRequestIsLeftAtTheDaemon(String head, String partialBody) throws Exception {
    long started = System.nanoTime();
    try (Socket c = new Socket(InetAddress.getLoopbackAddress(), edgePort)) {
      c.setSoTimeout(SOCKET_TIMEOUT_MS);
      c.getOutputStream().write(raw(head + partialBody));
      c.getOutputStream().flush();
      c.shutdownOutput();
      byte[] answer = readToEnd(c.getInputStream());
      String text = new String(answer, StandardCharsets.UTF_8);
      if (answer.length > 0) {
        assertThat(text).startsWith("HTTP/1.1 400");
        assertThat(new JsonObject(text.substring(text.indexOf("\r\n\r\n") + 4)).getString("message")).contains("malformed");
      }
    }
    assertThat(System.nanoTime() - started).as("answered or closed promptly").isLessThan(TimeUnit.SECONDS.toNanos(5));
    assertThat(backend.received.poll(500, TimeUnit.MILLISECONDS)).as("no complete request at the daemon").isNull();
    String seen = backend.heads.poll();
    if (seen != null) {
      assertThat(backend.truncated.poll(5, TimeUnit.SECONDS)).as("the daemon's connection was closed mid-body").isEqualTo(seen);
    }
    assertEdgeStillServes();
  }

  static Stream<Arguments> halfClosedRows() {
    return Stream.of(
        Arguments.of(Named.of("a streamed body, none of it sent",
            "POST /containers/abc/start HTTP/1.1\r\nHost: gw\r\nContent-Length: 10\r\n\r\n"), ""),
        Arguments.of(Named.of("a streamed body, half of it sent",
            "PUT /containers/abc/archive?path=/tmp HTTP/1.1\r\nHost: gw\r\nContent-Length: 10\r\n\r\n"), "abcde"),
        Arguments.of(Named.of("a chunked streamed body cut inside a chunk",
            "PUT /containers/abc/archive?path=/tmp HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n"), "a\r\nabc"),
        Arguments.of(Named.of("an inspected create body, half of it sent",
            "POST /containers/create HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n"),
            "{\"Image\":\"x\","),
        Arguments.of(Named.of("an exec create body, none of it sent",
            "POST /containers/abc/exec HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n"), ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("framingRows")
  void framing(Row row) throws Exception {
    run(row);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pathRows")
  void paths(Row row) throws Exception {
    run(row);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filterRows")
  void filters(Row row) throws Exception {
    run(row);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedCallRows")
  void refusedCalls(Row row) throws Exception {
    run(row);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodyRows")
  void bodies(Row row) throws Exception {
    run(row);
  }

  // ---------------------------------------------------------------------------------------------
  // Running one row

  /**
   * @param request the raw bytes the client sends
   * @param status the status the client must get
   * @param message for an error, a part its JSON {@code message} must contain (null: any message)
   * @param forwarded what the daemon must receive; null when nothing may reach it
   */
  record Row(byte[] request, int status, String message, Consumer<Received> forwarded) {}

  /** One request as the fake daemon read it. */
  record Received(String requestLine, String head, byte[] body, String rawBody) {
    String target() {
      return requestLine.split(" ", 3)[1];
    }
  }

  record Response(int status, String head, byte[] body) {}

  void run(Row row) throws Exception {
    Response response = exchange(row.request());
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertThat(response.status()).as("status; response was %s%s", response.head(), abbreviate(body)).isEqualTo(row.status());
    if (row.forwarded() == null) {
      assertErrorShape(response, row.message());
      Received leaked = backend.received.poll(500, TimeUnit.MILLISECONDS);
      assertThat(leaked).as("a refused request must not reach the daemon").isNull();
    } else {
      Received received = backend.received.poll(10, TimeUnit.SECONDS);
      assertThat(received).as("the daemon must have received the request").isNotNull();
      row.forwarded().accept(received);
      assertThat(backend.received.poll(200, TimeUnit.MILLISECONDS)).as("exactly one request reaches the daemon").isNull();
    }
    assertEdgeStillServes();
  }

  private static void assertErrorShape(Response response, String messagePart) {
    assertThat(header(response.head(), "Content-Type")).as("error content type").startsWith("application/json");
    JsonObject json = new JsonObject(new String(response.body(), StandardCharsets.UTF_8));
    assertThat(json.fieldNames()).containsExactly("message");
    assertThat(json.getString("message")).isNotBlank();
    if (messagePart != null) {
      assertThat(json.getString("message")).contains(messagePart);
    }
  }

  /** Whatever the row did, the edge must still answer a fresh connection. */
  private void assertEdgeStillServes() throws Exception {
    backend.received.clear();
    backend.heads.clear();
    Response ping = exchange(get("/_ping"));
    assertThat(ping.status()).as("the edge still serves after the row").isEqualTo(200);
    Received received = backend.received.poll(10, TimeUnit.SECONDS);
    assertThat(received).isNotNull();
    assertThat(received.requestLine()).isEqualTo("GET /_ping HTTP/1.1");
  }

  /** Sends the request (from another thread: a refusal may come before the client is done writing) and reads one response. */
  private Response exchange(byte[] request) throws Exception {
    try (Socket c = new Socket(InetAddress.getLoopbackAddress(), edgePort)) {
      c.setSoTimeout(SOCKET_TIMEOUT_MS);
      OutputStream out = c.getOutputStream();
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          out.write(request);
          out.flush();
        } catch (IOException refusedMidWrite) {
          // the edge answered and closed before the whole request was written: the response says why
        }
      });
      InputStream in = c.getInputStream();
      String head = readHead(in);
      int status = Integer.parseInt(head.split(" ", 3)[1]);
      String length = header(head, "Content-Length");
      byte[] body;
      if (length != null) {
        body = in.readNBytes(Integer.parseInt(length));
      } else if ("chunked".equalsIgnoreCase(header(head, "Transfer-Encoding"))) {
        body = readChunked(in);
      } else {
        body = readToEnd(in);
      }
      writer.get(SOCKET_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      return new Response(status, head, body);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Row builders and checks

  static Arguments row(String name, byte[] request, int status, String message, Consumer<Received> forwarded) {
    return Arguments.of(Named.of(name, new Row(request, status, message, forwarded)));
  }

  static byte[] raw(String request) {
    return request.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] get(String target) {
    return request("GET", target, null);
  }

  static byte[] post(String target, String body) {
    return request("POST", target, body);
  }

  static byte[] request(String method, String target, String body) {
    StringBuilder sb = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: gw\r\n");
    if (body != null) {
      sb.append("Content-Type: application/json\r\nContent-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n");
      return concat(sb.toString().getBytes(StandardCharsets.ISO_8859_1), body.getBytes(StandardCharsets.UTF_8));
    }
    return raw(sb.append("\r\n").toString());
  }

  static byte[] chunkedPost(String target, String body, int chunkSize) {
    StringBuilder sb = new StringBuilder("POST ").append(target)
        .append(" HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < body.length(); i += chunkSize) {
      String chunk = body.substring(i, Math.min(body.length(), i + chunkSize));
      sb.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
    }
    return raw(sb.append("0\r\n\r\n").toString());
  }

  /** A valid JSON object of exactly {@code length} bytes. */
  static String jsonOfLength(int length) {
    String prefix = "{\"Image\":\"x\",\"Pad\":\"";
    String suffix = "\"}";
    return prefix + "p".repeat(length - prefix.length() - suffix.length()) + suffix;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The daemon received exactly this request line. */
  static Consumer<Received> requestLine(String expected) {
    return received -> assertThat(received.requestLine()).isEqualTo(expected);
  }

  /**
   * The daemon received a GET for {@code rawPath} whose query has exactly one {@code filters} parameter,
   * equal to {@code filters}, and exactly the other parameters given as name, value pairs.
   */
  /** A prune forwarded with exactly the tenant's owner filter. */
  static Consumer<Received> scopedPrune(String path) {
    return received -> {
      assertThat(received.requestLine()).startsWith("POST " + path + "?");
      QueryStringDecoder query = new QueryStringDecoder(received.target());
      assertThat(query.parameters().get("filters")).hasSize(1);
      assertThat(new JsonObject(query.parameters().get("filters").get(0))).isEqualTo(ONLY_OURS);
    };
  }

  /**
   * The filters a scoped call must reach the daemon with: the owner label, except for {@code /events},
   * which goes without it (volume and network events carry no labels) and is filtered line by line
   * by the gateway; another tenant's label is dropped either way.
   */
  static JsonObject scopeFor(String path, JsonObject withOwner) {
    if (!path.endsWith("/events")) {
      return withOwner;
    }
    JsonObject copy = withOwner.copy();
    JsonArray labels = copy.getJsonArray("label");
    labels.remove(OWNER_LABEL + "=" + TENANT);
    if (labels.isEmpty()) {
      copy.remove("label");
    }
    return copy;
  }

  static Consumer<Received> scopedTo(String rawPath, JsonObject filters, String... otherParams) {
    return received -> {
      assertThat(received.requestLine()).startsWith("GET ").endsWith(" HTTP/1.1");
      String target = received.target();
      int q = target.indexOf('?');
      assertThat(q).as("forwarded target %s has a query", target).isPositive();
      assertThat(target.substring(0, q)).isEqualTo(rawPath);
      QueryStringDecoder query = new QueryStringDecoder(target);
      assertThat(query.parameters().get("filters")).as("filters parameters forwarded").hasSize(1);
      assertThat(new JsonObject(query.parameters().get("filters").get(0))).isEqualTo(filters);
      assertThat(target.toLowerCase(Locale.ROOT)).doesNotContain("other");
      java.util.Map<String, List<String>> others = new java.util.LinkedHashMap<>(query.parameters());
      others.remove("filters");
      java.util.Map<String, List<String>> expected = new java.util.LinkedHashMap<>();
      for (int i = 0; i < otherParams.length; i += 2) {
        expected.computeIfAbsent(otherParams[i], k -> new ArrayList<>()).add(otherParams[i + 1]);
      }
      assertThat(others).isEqualTo(expected);
    };
  }

  /** The daemon received this request line and a JSON object body that passes {@code check}. */
  static Consumer<Received> forwardedBody(String requestLine, Consumer<JsonObject> check) {
    return received -> {
      assertThat(received.requestLine()).isEqualTo(requestLine);
      assertThat(header(received.head(), "Content-Length")).isEqualTo(String.valueOf(received.body().length));
      check.accept(new JsonObject(new String(received.body(), StandardCharsets.UTF_8)));
    };
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP reading

  static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = readLine(in);
      int semicolon = size.indexOf(';');
      int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      if (n == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(n));
      readLine(in);
    }
  }

  static byte[] readToEnd(InputStream in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
    } catch (IOException resetOrTimeout) {
      // what arrived before is the answer
    }
    return out.toByteArray();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // The fake daemon

  /**
   * A loopback daemon stand-in: accepts any number of (keep-alive) connections, records every request it
   * reads, and answers each with {@code 200 {}}.
   */
  static final class RecordingBackend implements AutoCloseable {
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    /** The request line of every head read, whether its body then arrived whole or not. */
    final BlockingQueue<String> heads = new LinkedBlockingQueue<>();
    /** Requests whose connection ended before their body was complete. */
    final BlockingQueue<String> truncated = new LinkedBlockingQueue<>();
    private final ServerSocket server;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    RecordingBackend() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(this::acceptLoop, "fake-daemon-acceptor");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void acceptLoop() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          connections.add(s);
          Thread t = new Thread(() -> serve(s), "fake-daemon-connection");
          t.setDaemon(true);
          t.start();
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void serve(Socket s) {
      try (s) {
        s.setSoTimeout(30_000);
        RecordingInput in = new RecordingInput(s.getInputStream());
        while (true) {
          String head = readHead(in);
          String requestLine = head.substring(0, head.indexOf("\r\n"));
          heads.add(requestLine);
          String length = header(head, "Content-Length");
          byte[] body;
          in.startRecording();
          try {
            if ("chunked".equalsIgnoreCase(header(head, "Transfer-Encoding"))) {
              body = readChunked(in);
            } else {
              body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
              if (length != null && body.length < Integer.parseInt(length)) {
                throw new java.io.EOFException("body cut short");
              }
            }
          } catch (IOException cut) {
            truncated.add(requestLine);
            throw cut;
          }
          received.add(new Received(requestLine, head, body, in.recorded()));
          // Lists are JSON arrays (the gateway rewrites them and refuses another shape); the rest {}.
          String json = head.matches("(?s)GET (/v[0-9.]+)?/(containers/json|networks|images/json)[ ?].*") ? "[]" : "{}";
          byte[] answer = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n" + json)
              .getBytes(StandardCharsets.US_ASCII);
          s.getOutputStream().write(answer);
          s.getOutputStream().flush();
        }
      } catch (SocketException | java.net.SocketTimeoutException closedOrIdle) {
        // the gateway closed or dropped the connection
      } catch (IOException closed) {
        // end of stream between requests
      }
    }

    /** Keeps the bytes of a body as they were on the wire (chunk lines included). */
    private static final class RecordingInput extends java.io.FilterInputStream {
      private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();

      RecordingInput(InputStream in) {
        super(in);
      }

      void startRecording() {
        recorded.reset();
      }

      String recorded() {
        return recorded.toString(StandardCharsets.ISO_8859_1);
      }

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          recorded.write(b);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          recorded.write(b, off, n);
        }
        return n;
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : connections) {
        s.close();
      }
    }
  }

  /** Ownership of addressed objects is not this test's subject (see OwnershipIT): everything is the tenant's. */
}
