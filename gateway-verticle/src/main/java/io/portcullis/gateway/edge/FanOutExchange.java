package io.portcullis.gateway.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.BackendHost.HostState;
import io.portcullis.contracts.Route;
import io.portcullis.contracts.Tenant;
import io.portcullis.gateway.channel.Sockets;
import io.portcullis.gateway.classify.ApiCall;
import io.portcullis.gateway.hosts.HostLocator;
import io.portcullis.gateway.hosts.MergedAnswers;
import io.portcullis.gateway.hosts.MergedAnswers.HostAnswer;
import io.portcullis.gateway.rewrite.JsonLines;
import io.portcullis.gateway.rewrite.RequestTargets;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A call that spans the tenant's hosts: the same request goes to every host that is not down, each
 * answer is brought into the tenant's view by that host's {@link TenantView}, and the client gets one
 * answer, shaped as one daemon's:
 *
 * <ul>
 *   <li>lists, {@code system df}, {@code info} and prunes: gathered whole, then merged ({@link MergedAnswers});</li>
 *   <li>{@code events}: every host's stream at once, line by line, as the lines come;</li>
 *   <li>pulls: host after host, each one's progress streamed (a header {@code X-Portcullis-Host: h1}
 *   pulls to that host only).</li>
 * </ul>
 *
 * A host that fails makes the call fail with that host named (503), rather than answer with part of
 * the tenant's objects silently missing; hosts known to be down are left out (and shown by {@code info}).
 */
final class FanOutExchange implements Exchange {
  static final String HOST_HEADER = "X-Portcullis-Host";
  private static final int MAX_ANSWER_BYTES = 64 << 20;

  private final ClientConnection client;
  private final NetSocketInternal clientSocket;
  private final HttpRequest request;
  private final ApiCall call;
  private final String requestId;
  private final List<HttpClientRequest> backendRequests = new ArrayList<>();
  private final List<HttpClientResponse> streams = new ArrayList<>();
  private boolean requestComplete;
  private boolean responseStarted;
  /** Headers of the first host's answer that say which daemon answered (Api-Version, Ostype...). */
  private io.vertx.core.MultiMap daemonHeaders;
  private boolean done;
  private Tenant tenant;
  private Route route;

  FanOutExchange(ClientConnection client, HttpRequest request, ApiCall call, String requestId, boolean requestComplete) {
    this.client = client;
    this.clientSocket = client.socket();
    this.request = request;
    this.call = call;
    this.requestId = requestId;
    this.requestComplete = requestComplete;
  }

  void start(Route route, Tenant tenant) {
    client.call().host("*");
    this.route = route;
    this.tenant = tenant;
    boolean pull = call.family().equals("images.pull");
    List<BackendHost> hosts = route.hosts().stream()
        .filter(h -> h.state() != HostState.DOWN && !(pull && h.draining()))
        .toList();
    String chosen = request.headers().get(HOST_HEADER);
    if (pull && chosen != null) {
      hosts = hosts.stream().filter(h -> h.name().equals(chosen)).toList();
      if (hosts.isEmpty()) {
        fail(ApiException.badRequest("host " + chosen + " (header " + HOST_HEADER + ") is not an available host of yours"));
        return;
      }
    }
    if (hosts.isEmpty()) {
      fail(ApiException.unavailable("none of your backend hosts is available"));
      return;
    }
    List<BackendHost> answering = hosts;
    clientSocket.drainHandler(v -> streams.forEach(HttpClientResponse::resume));
    if (!requestComplete) {
      // The (empty) rest of the request is read and dropped, as far as its end: the connection stays
      // usable for the next request, which waits unread until this answer is out.
      clientSocket.resume();
    }
    switch (call.family()) {
      case "system.events" -> {
        if (RequestTargets.first(RequestTargets.parameters(request.uri()), "until").isEmpty()) {
          streamAll(hosts);
        } else {
          replayInOrder(hosts);
        }
      }
      case "images.pull" -> pullEverywhere(hosts);
      case "system.info" -> {
        Future<List<HostAnswer>> infos = gather(answering, ListWindow.NONE);
        Future<Integer> images = imagesShown(answering);
        Future.all(infos, images).onComplete(ar -> {
          if (ar.failed()) {
            fail(ar.cause());
          } else {
            respondJson(MergedAnswers.info(infos.result(), route.hosts()).put("Images", images.result()));
          }
        });
      }
      default -> listWindow().compose(window -> gather(answering, window)).onComplete(ar -> {
        if (ar.failed()) {
          fail(ar.cause());
          return;
        }
        respondJson(MergedAnswers.merge(call.family(), ar.result(), RequestTargets.parameters(request.uri())));
      });
    }
  }

  /**
   * {@code ps --filter before=X / since=X} over hosts: X is one container, on one host. That host
   * applies the filter itself; the others cannot resolve X, so they answer without it and their
   * containers are kept by creation time against X's (to the second, which is what a list shows).
   */
  private record ListWindow(String beforeHost, long beforeCreated, String sinceHost, long sinceCreated) {
    static final ListWindow NONE = new ListWindow(null, 0, null, 0);

    java.util.Set<String> strippedOn(BackendHost host) {
      java.util.Set<String> keys = new java.util.HashSet<>();
      if (beforeHost != null && !beforeHost.equals(host.name())) {
        keys.add("before");
      }
      if (sinceHost != null && !sinceHost.equals(host.name())) {
        keys.add("since");
      }
      return keys;
    }

    boolean keeps(Object container, java.util.Set<String> stripped) {
      long created = container instanceof JsonObject c && c.getValue("Created") instanceof Number n ? n.longValue() : 0;
      return (!stripped.contains("before") || created < beforeCreated) && (!stripped.contains("since") || created > sinceCreated);
    }
  }

  private Future<ListWindow> listWindow() {
    if (!call.family().equals("containers.list")) {
      return Future.succeededFuture(ListWindow.NONE);
    }
    Future<java.util.Map.Entry<String, Long>> before = createdOf(RequestTargets.filterValue(request.uri(), "before"));
    Future<java.util.Map.Entry<String, Long>> since = createdOf(RequestTargets.filterValue(request.uri(), "since"));
    return Future.all(before, since).map(v -> new ListWindow(
        before.result() == null ? null : before.result().getKey(), before.result() == null ? 0 : before.result().getValue(),
        since.result() == null ? null : since.result().getKey(), since.result() == null ? 0 : since.result().getValue()));
  }

  /** The host and creation time (seconds) of the tenant's container {@code ref}; null for none given. */
  private Future<java.util.Map.Entry<String, Long>> createdOf(String ref) {
    if (ref.isEmpty()) {
      return Future.succeededFuture(null);
    }
    return client.services().registry()
        .locate(new io.portcullis.contracts.LocateRequest(tenant.id(), io.portcullis.contracts.ObjectKind.CONTAINER, ref, false))
        .compose(located -> send(located.host(), "/containers/" + located.id() + "/json").compose(resp -> resp.body().map(body -> {
          if (resp.statusCode() != 200) {
            throw ApiException.notFound("No such container: " + ref);
          }
          String created = new JsonObject(body).getString("Created", "");
          return java.util.Map.entry(located.host().name(), java.time.Instant.parse(created).getEpochSecond());
        })));
  }

  /** Every host's whole answer, each in the tenant's view, in pool order. */
  private Future<List<HostAnswer>> gather(List<BackendHost> hosts, ListWindow window) {
    List<Future<HostAnswer>> answers = new ArrayList<>();
    for (BackendHost host : hosts) {
      TenantView view = new TenantView(client.services(), call, tenant.id(), route);
      java.util.Set<String> stripped = window.strippedOn(host);
      answers.add(view.prepareTarget(request.uri(), host)
          .compose(target -> send(host, stripped.isEmpty() ? target : RequestTargets.withoutFilters(target, stripped)))
          .compose(resp -> resp.body().compose(body -> {
            if (resp.statusCode() != 200) {
              return Future.failedFuture(hostRefused(host, resp.statusCode(), body));
            }
            if (body.length() > MAX_ANSWER_BYTES) {
              return Future.failedFuture(ApiException.badGateway("the answer of backend host " + host.name() + " is too large to merge"));
            }
            Object json = Json.decodeValue(body);
            if (!stripped.isEmpty() && json instanceof io.vertx.core.json.JsonArray list) {
              json = new io.vertx.core.json.JsonArray(list.stream().filter(c -> window.keeps(c, stripped)).toList());
            }
            var rewrite = view.responseRewrite(host);
            return Future.succeededFuture(new HostAnswer(host, rewrite == null ? json : rewrite.apply(json)));
          })));
    }
    return Future.all(answers).map(all -> answers.stream().map(Future::result).toList());
  }

  /** How many rows {@code docker images} shows the tenant over its hosts (a tag on several hosts once). */
  private Future<Integer> imagesShown(List<BackendHost> hosts) {
    List<Future<HostAnswer>> lists = new ArrayList<>();
    for (BackendHost host : hosts) {
      lists.add(send(host, "/images/json").compose(resp -> resp.body().map(body -> new HostAnswer(host,
          io.portcullis.gateway.rewrite.ResponseRewrites.imageList(new io.vertx.core.json.JsonArray(body), tenant.id())))));
    }
    return Future.all(lists).map(all -> ((io.vertx.core.json.JsonArray) MergedAnswers.merge("images.list",
        lists.stream().map(Future::result).toList(), java.util.Map.of())).size());
  }

  /** {@code events}: the head once every host answered, then every host's lines as they come. */
  private void streamAll(List<BackendHost> hosts) {
    List<Future<HttpClientResponse>> opened = new ArrayList<>();
    for (BackendHost host : hosts) {
      TenantView view = new TenantView(client.services(), call, tenant.id(), route);
      JsonLines lines = view.eventLines();
      opened.add(view.prepareTarget(request.uri(), host).compose(target -> send(host, target)).compose(resp -> {
        if (resp.statusCode() != 200) {
          return resp.body().compose(body -> Future.failedFuture(hostRefused(host, resp.statusCode(), body)));
        }
        resp.pause();
        resp.handler(chunk -> writeChunk(lines == null ? retained(chunk)
            : lines.apply(retained(chunk), clientSocket.channelHandlerContext().alloc()), resp));
        return Future.succeededFuture(resp);
      }));
    }
    Future.all(opened).onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
        return;
      }
      writeStreamHead();
      int[] open = {opened.size()};
      for (Future<HttpClientResponse> f : opened) {
        HttpClientResponse resp = f.result();
        streams.add(resp);
        resp.exceptionHandler(err -> abort());
        resp.endHandler(v -> {
          if (--open[0] == 0) {
            endStream();
          }
        });
        resp.resume();
      }
    });
  }

  /**
   * {@code events --until}: a replay that ends, so every host's lines are gathered and sent in time
   * order, as one daemon would send its own.
   */
  private void replayInOrder(List<BackendHost> hosts) {
    List<Future<List<String>>> replays = new ArrayList<>();
    for (BackendHost host : hosts) {
      TenantView view = new TenantView(client.services(), call, tenant.id(), route);
      JsonLines lines = view.eventLines();
      replays.add(view.prepareTarget(request.uri(), host).compose(target -> send(host, target)).compose(resp -> resp.body().compose(body -> {
        if (resp.statusCode() != 200) {
          return Future.failedFuture(hostRefused(host, resp.statusCode(), body));
        }
        if (body.length() > MAX_ANSWER_BYTES) {
          return Future.failedFuture(ApiException.badGateway("the events of backend host " + host.name() + " are too many to order"));
        }
        var alloc = clientSocket.channelHandlerContext().alloc();
        ByteBuf rewritten = Unpooled.wrappedBuffer(lines.apply(Unpooled.wrappedBuffer(body.getBytes()), alloc), lines.finish(alloc));
        try {
          return Future.succeededFuture(rewritten.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList());
        } finally {
          rewritten.release();
        }
      })));
    }
    Future.all(replays).onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
        return;
      }
      List<String> all = new ArrayList<>();
      replays.forEach(r -> all.addAll(r.result()));
      all.sort(java.util.Comparator.comparingLong(FanOutExchange::timeNano));
      respond(String.join("\n", all) + (all.isEmpty() ? "" : "\n"));
    });
  }

  private static long timeNano(String line) {
    try {
      JsonObject event = new JsonObject(line);
      return event.getValue("timeNano") instanceof Number n ? n.longValue() : event.getLong("time", 0L) * 1_000_000_000L;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /**
   * A pull on each host in turn, each one's progress streamed after a status line naming the host.
   * Every host's checks (registry, tags free) pass first, so that a refusal pulls nowhere.
   */
  private void pullEverywhere(List<BackendHost> hosts) {
    List<Future<String>> targets = new ArrayList<>();
    for (BackendHost host : hosts) {
      targets.add(new TenantView(client.services(), call, tenant.id(), route).prepareTarget(request.uri(), host));
    }
    Future.all(targets).onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
      } else {
        pullOn(hosts, targets.stream().map(Future::result).toList(), 0);
      }
    });
  }

  private void pullOn(List<BackendHost> hosts, List<String> targets, int i) {
    if (done) {
      return;
    }
    if (i == hosts.size()) {
      endStream();
      return;
    }
    BackendHost host = hosts.get(i);
    send(host, targets.get(i)).onComplete(ar -> {
      if (done) {
        return;
      }
      if (ar.failed()) {
        failMidStream(host, ar.cause());
        return;
      }
      HttpClientResponse resp = ar.result();
      if (resp.statusCode() != 200) {
        resp.body().onComplete(body -> failMidStream(host, hostRefused(host, resp.statusCode(), body.succeeded() ? body.result() : null)));
        return;
      }
      if (!responseStarted) {
        writeStreamHead();
      }
      writeLine(new JsonObject().put("status", "Pulling on host " + host.name()));
      streams.add(resp);
      resp.handler(chunk -> writeChunk(retained(chunk), resp));
      resp.exceptionHandler(err -> abort());
      resp.endHandler(v -> {
        streams.remove(resp);
        pullOn(hosts, targets, i + 1);
      });
    });
  }

  /** Before anything was sent, a failure is the answer; after, it is a progress error line. */
  private void failMidStream(BackendHost host, Throwable err) {
    if (!responseStarted) {
      fail(err);
      return;
    }
    String message = err instanceof ApiException api ? api.getMessage() : "backend host " + host.name() + " failed";
    writeLine(new JsonObject().put("errorDetail", new JsonObject().put("message", message)).put("error", message));
    endStream();
  }

  private Future<HttpClientResponse> send(BackendHost host, String target) {
    RequestOptions options = host.requestOptions(target).setMethod(HttpMethod.valueOf(request.method().name()));
    String auth = request.headers().get("X-Registry-Auth");
    if (auth != null) {
      options.putHeader("X-Registry-Auth", auth);
    }
    long deadline = ResponseDeadline.millisFor(call, target, client.services().config().backendResponseTimeoutMs());
    if (deadline > 0) {
      // The requests sent to every host have no body: the idle timeout runs from the request to the
      // head, and then between chunks of an answer that is read whole anyway.
      options.setIdleTimeout(deadline);
    }
    return client.services().backendHttp().request(options)
        .onSuccess(backendRequests::add)
        .compose(HttpClientRequest::send)
        .onSuccess(resp -> {
          if (daemonHeaders == null) {
            daemonHeaders = resp.headers();
          }
        })
        .recover(err -> Future.failedFuture(err instanceof ApiException ? err
            : err instanceof java.util.concurrent.TimeoutException
                ? ApiException.gatewayTimeout("backend host " + host.name() + " did not answer in time")
                : HostLocator.unavailable(host)));
  }

  private ApiException hostRefused(BackendHost host, int status, Buffer body) {
    String message = null;
    try {
      message = body == null ? null : new JsonObject(body).getString("message");
    } catch (RuntimeException e) {
      // not Docker's error shape: named by status below
    }
    return new ApiException(status >= 400 && status <= 599 ? status : 502,
        message != null ? new io.portcullis.gateway.ownership.TenantNames(tenant.id()).fromBackendText(message)
            : "backend host " + host.name() + " answered " + status);
  }

  private static ByteBuf retained(Buffer chunk) {
    return ((BufferInternal) chunk).getByteBuf().retain();
  }

  private void writeStreamHead() {
    responseStarted = true;
    DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    keepAliveHeader(head.headers());
    clientSocket.writeMessage(head);
  }

  private void writeChunk(ByteBuf bytes, HttpClientResponse from) {
    if (done) {
      bytes.release();
      return;
    }
    if (!bytes.isReadable()) {
      bytes.release();
      return;
    }
    clientSocket.writeMessage(new DefaultHttpContent(bytes));
    if (clientSocket.writeQueueFull()) {
      from.pause();
    }
  }

  private void writeLine(JsonObject line) {
    clientSocket.writeMessage(new DefaultHttpContent(Unpooled.wrappedBuffer((line.encode() + "\r\n").getBytes(StandardCharsets.UTF_8))));
  }

  private void endStream() {
    if (done) {
      return;
    }
    clientSocket.writeMessage(new DefaultLastHttpContent());
    finish();
  }

  private void respondJson(Object merged) {
    respond(Json.encodeToBuffer(merged).toString());
  }

  private void respond(String json) {
    if (done) {
      return;
    }
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    keepAliveHeader(response.headers());
    responseStarted = true;
    clientSocket.writeMessage(response);
    finish();
  }

  private boolean closeAfter() {
    return !HttpUtil.isKeepAlive(request) || client.inputShutdown() || !requestComplete;
  }

  private void keepAliveHeader(HttpHeaders headers) {
    headers.set(HttpHeaderNames.CONNECTION, closeAfter() ? HttpHeaderValues.CLOSE : HttpHeaderValues.KEEP_ALIVE);
    if (daemonHeaders != null) {
      for (String name : DAEMON_HEADERS) {
        String value = daemonHeaders.get(name);
        if (value != null) {
          headers.set(name, value);
        }
      }
    }
  }

  private static final List<String> DAEMON_HEADERS = List.of("Api-Version", "Docker-Experimental", "Ostype", "Server");

  private void finish() {
    done = true;
    clientSocket.drainHandler(null);
    client.exchangeDone(this, closeAfter());
  }

  /** A backend stream broke after the head went out: the client sees the connection end. */
  private void abort() {
    if (done) {
      return;
    }
    done = true;
    resetBackends();
    client.call().brokenMidResponse();
    Sockets.closeDiscardingInput(clientSocket);
    client.exchangeDone(this, true);
  }

  private void resetBackends() {
    backendRequests.forEach(r -> r.reset());
    backendRequests.clear();
    streams.clear();
  }

  @Override
  public void fail(Throwable err) {
    if (done) {
      return;
    }
    if (responseStarted) {
      abort();
      return;
    }
    done = true;
    resetBackends();
    clientSocket.drainHandler(null);
    ApiException error = ErrorResponder.toApiException(err, requestId);
    client.call().refusedByGateway(error.rule());
    ErrorResponder.respondEndingExchange(clientSocket, error, requestComplete || client.inputShutdown());
    client.exchangeDone(this, true);
  }

  @Override
  public HttpRequest request() {
    return request;
  }

  @Override
  public void onClientContent(HttpContent content) {
    // Spanning calls carry no body (lists, prunes, events, pulls): it is read and dropped.
    if (content instanceof LastHttpContent) {
      requestComplete = true;
      clientSocket.pause();
    }
    ReferenceCountUtil.release(content);
  }

  @Override
  public void onClientClosed() {
    if (!done) {
      done = true;
      resetBackends();
    }
  }

  @Override
  public boolean requestComplete() {
    return requestComplete;
  }
}
