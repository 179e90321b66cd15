package io.portcullis.gateway.edge;

import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.Route;
import io.portcullis.contracts.Tenant;
import io.vertx.core.Future;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import io.portcullis.gateway.backend.BackendConnection;
import io.portcullis.gateway.channel.Sockets;
import io.portcullis.gateway.classify.ApiCall;
import io.portcullis.gateway.ownership.Ownership;
import io.portcullis.gateway.splice.SplicedStream;
import io.vertx.core.internal.net.NetSocketInternal;

/**
 * One request and its response between a client connection and one backend connection.
 *
 * <p>Bodies are forwarded message by message as Netty decoded them, never gathered: a request body
 * chunk is written to the backend, and the client is read again only while the backend's write queue
 * has room; the same holds for the response towards the client. A response head is written (and so
 * flushed) the moment it arrives: {@code POST /wait} answers its head at once and its body only when the
 * container exits, and the docker CLI waits for that head before it starts the container.
 *
 * <p>The daemon decides whether a call is hijacked: {@code 101 UPGRADED} when the client asked for an
 * upgrade, or {@code 200} with a raw or multiplexed stream content type when it did not. Either way the
 * response head is passed on, both HTTP codecs step aside, and a {@link SplicedStream} takes over.
 */
final class ProxyExchange implements Exchange {
  private static final String RAW_STREAM = "application/vnd.docker.raw-stream";
  private static final String MULTIPLEXED_STREAM = "application/vnd.docker.multiplexed-stream";
  /** Largest answer gathered to be rewritten whole (a list of thousands of containers fits many times). */
  private static final int MAX_REWRITTEN_BODY_BYTES = 64 << 20;

  private final ClientConnection client;
  private final NetSocketInternal clientSocket;
  private final HttpRequest request;
  private final ApiCall call;
  private final String requestId;
  private BackendConnection backend;
  private boolean requestComplete;
  private boolean responseStarted;
  private boolean skipInterimEnd;
  private boolean closeClientAfter;
  private boolean done;
  private Tenant tenant;
  private TenantView view;
  private boolean answeredLocally;
  /** Set when the answer is rewritten whole: its head and body are held until the body is complete. */
  private java.util.function.UnaryOperator<Object> responseRewrite;
  private HttpResponse heldHead;
  private CompositeByteBuf heldBody;
  /** Set when the answer is a stream of JSON events rewritten line by line. */
  private io.portcullis.gateway.rewrite.JsonLines eventLines;
  /** The body of a call whose body the policy reads (container and exec create), gathered up to a bound. */
  private CompositeByteBuf inspectedBody;
  private boolean clientKeepAlive = true;
  private boolean backendKeepAlive;
  /** The timer of the response head's deadline ({@link ResponseDeadline}), or -1. */
  private long responseDeadline = -1;

  ProxyExchange(ClientConnection client, HttpRequest request, ApiCall call, String requestId) {
    this.client = client;
    this.clientSocket = client.socket();
    this.request = request;
    this.call = call;
    this.requestId = requestId;
  }

  /** Connects to the chosen backend, writes the request head and starts reading the body. */
  void start(BackendHost host, Tenant tenant) {
    start(host, tenant, null);
  }

  void start(BackendHost host, Tenant tenant, Route route) {
    this.tenant = tenant;
    client.call().host(host.name());
    this.view = new TenantView(client.services(), call, tenant.id(), route);
    view.prepareTarget(request.uri(), host).compose(target -> {
      request.setUri(target);
      return done ? Future.failedFuture("exchange ended") : client.services().backends().acquire(host);
    }).onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
        return;
      }
      backend = ar.result();
      if (done || client.isClosed()) {
        view.finished();
        backend.close();
        return;
      }
      try {
        forward();
      } catch (RuntimeException e) {
        fail(e);
      }
    });
  }

  /**
   * Answers the call without a backend ({@link LocalAnswers}); the (empty) rest of the request is read
   * first, so that the connection serves the next request.
   */
  void answerLocally() {
    boolean keepAlive = HttpUtil.isKeepAlive(request) && !client.inputShutdown();
    responseStarted = true;
    done = true;
    clientSocket.writeMessage(LocalAnswers.answer(call, keepAlive));
    answeredLocally = true;
    if (requestComplete || !keepAlive) {
      client.exchangeDone(this, !keepAlive);
    } else {
      clientSocket.resume();
    }
  }

  /**
   * A create across hosts (container, volume, network): its body decides the host (name, image,
   * volumes, networks, constraints), so it is read first; the backend is chosen and connected once it
   * is here.
   */
  void startPlacedByBody(Route route, Tenant tenant) {
    this.tenant = tenant;
    this.view = new TenantView(client.services(), call, tenant.id(), route);
    startReadingBody();
  }

  private void startReadingBody() {
    // The head goes out with the body once the policy has read it (see onClientContent). The daemon
    // will not see the head in time to answer an Expect: 100-continue, so the gateway does.
    if (HttpUtil.is100ContinueExpected(request)) {
      request.headers().remove(HttpHeaderNames.EXPECT);
      clientSocket.writeMessage(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          io.netty.handler.codec.http.HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
    }
    inspectedBody = Unpooled.compositeBuffer();
    if (requestComplete) {
      forwardInspectedBody();
      return;
    }
    updateClientReading();
  }

  private void forward() {
    responseRewrite = view.responseRewrite(backend.host());
    eventLines = view.eventLines();
    if (view.readsBody()) {
      attachBackendHandlers();
      startReadingBody();
      return;
    }
    attachBackendHandlers();
    writeRequestHead();
    updateClientReading();
  }

  private void attachBackendHandlers() {
    NetSocketInternal backendSocket = backend.socket();
    backendSocket.messageHandler(this::onBackendMessage);
    backendSocket.eventHandler(this::onBackendEvent);
    backendSocket.closeHandler(v -> onBackendClosed());
    backendSocket.exceptionHandler(err -> backendSocket.close());
    backendSocket.drainHandler(v -> updateClientReading());
    clientSocket.drainHandler(v -> updateBackendReading());
  }

  private void writeRequestHead() {
    // Decided before the Connection header is dropped as hop-by-hop.
    clientKeepAlive = HttpUtil.isKeepAlive(request);
    HopByHopHeaders.strip(request.headers(), call.mayHijack());
    request.headers().set(HttpHeaderNames.HOST, backend.host().hostHeader());
    request.setProtocolVersion(HttpVersion.HTTP_1_1);
    backend.socket().writeMessage(request);
  }

  /** The whole body of an inspected call is here: check and map it, then send head and body together. */
  private void forwardInspectedBody() {
    CompositeByteBuf body = inspectedBody;
    inspectedBody = null;
    JsonObject json;
    try {
      json = body.isReadable() ? new JsonObject(BufferInternal.buffer(body.duplicate())) : new JsonObject();
    } catch (RuntimeException e) {
      fail(ApiException.badRequest("invalid JSON body: " + e.getMessage()));
      return;
    } catch (StackOverflowError e) {
      fail(ApiException.badRequest("invalid JSON body: nested too deeply"));
      return;
    } finally {
      body.release();
    }
    if (backend == null) {
      placeThenForward(json);
      return;
    }
    view.prepareBody(json, backend.host()).onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
      } else if (!done) {
        sendBody(Unpooled.wrappedBuffer(ar.result().toBuffer().getBytes()));
      }
    });
  }

  /**
   * The create's turn among the tenant's creates, then its host from the registry's placement, then
   * the checks on that host, then the connection: earlier creates are in the registry's counts by then.
   */
  private void placeThenForward(JsonObject json) {
    TenantView.CreatePlacement placement;
    try {
      placement = view.placementOf(json, request.uri());
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    view.enterCreateQueue(null)
        .compose(v -> client.services().registry().place(placement.request()))
        .compose(placed -> io.portcullis.gateway.hosts.HostLocator.up(placed.host()).map(placed))
        .compose(placed -> view.prepareTarget(request.uri(), placed.host()).compose(target -> {
          request.setUri(target);
          return view.prepareBody(placement.body(), placed.host());
        }).compose(body -> done ? Future.failedFuture("exchange ended")
            : client.services().backends().acquire(placed.host()).map(connection -> {
              client.call().host(placed.host().name());
              backend = connection;
              return body;
            })))
        .onComplete(ar -> {
          if (ar.failed()) {
            fail(ar.cause());
            return;
          }
          if (done || client.isClosed()) {
            view.finished();
            backend.close();
            return;
          }
          responseRewrite = view.responseRewrite(backend.host());
          attachBackendHandlers();
          sendBody(Unpooled.wrappedBuffer(ar.result().toBuffer().getBytes()));
        });
  }

  private void sendBody(ByteBuf forwarded) {
    request.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
    request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, forwarded.readableBytes());
    writeRequestHead();
    backend.socket().writeMessage(new DefaultLastHttpContent(forwarded));
    awaitResponseHead();
  }

  /** Fails the exchange before or during forwarding. */
  @Override
  public void fail(Throwable err) {
    if (view != null) {
      view.finished();
    }
    stopResponseDeadline();
    if (done) {
      return;
    }
    done = true;
    clearDrainHandlers();
    if (inspectedBody != null) {
      inspectedBody.release();
      inspectedBody = null;
    }
    releaseHeld();
    if (backend != null) {
      Sockets.closeDiscardingInput(backend.socket());
    }
    if (responseStarted) {
      client.call().brokenMidResponse();
      Sockets.closeDiscardingInput(clientSocket);
    } else {
      ApiException error = ErrorResponder.toApiException(err, requestId);
      client.call().refusedByGateway(error.rule());
      ErrorResponder.respondEndingExchange(clientSocket, error, requestComplete || client.inputShutdown());
    }
    client.exchangeDone(this, true);
  }

  /** Whether the whole request body was read from the client. */
  @Override
  public boolean requestComplete() {
    return requestComplete;
  }

  @Override
  public HttpRequest request() {
    return request;
  }

  @Override
  public void onClientContent(HttpContent content) {
    if (content.decoderResult().isFailure()) {
      ReferenceCountUtil.release(content);
      fail(ApiException.badRequest("malformed request body: " + content.decoderResult().cause().getMessage()));
      return;
    }
    boolean last = content instanceof LastHttpContent;
    if (last) {
      requestComplete = true;
    }
    if (answeredLocally) {
      ReferenceCountUtil.release(content);
      if (last) {
        clientSocket.pause();
        client.exchangeDone(this, false);
      }
      return;
    }
    if (done || (backend == null && inspectedBody == null)) {
      ReferenceCountUtil.release(content);
      return;
    }
    if (inspectedBody != null) {
      if (inspectedBody.readableBytes() + content.content().readableBytes() > client.services().policy().maxJsonBodyBytes()) {
        ReferenceCountUtil.release(content);
        inspectedBody.release();
        inspectedBody = null;
        fail(new ApiException(413, "request body is larger than " + client.services().policy().maxJsonBodyBytes() + " bytes").byRule("limit:body-size"));
        return;
      }
      inspectedBody.addComponent(true, content.content().retain());
      ReferenceCountUtil.release(content);
      if (last) {
        forwardInspectedBody();
      }
      updateClientReading();
      return;
    }
    backend.socket().writeMessage(content);
    if (last) {
      awaitResponseHead();
    }
    updateClientReading();
  }

  /**
   * The request is all written: the backend's response head is due within the call's deadline
   * ({@link ResponseDeadline}), or the call gets 504 and the backend connection is closed.
   */
  private void awaitResponseHead() {
    long ms = ResponseDeadline.millisFor(call, request.uri(), client.services().config().backendResponseTimeoutMs());
    if (ms <= 0 || done || responseDeadline >= 0) {
      return;
    }
    String host = backend.host().name();
    responseDeadline = client.vertx().setTimer(ms, id -> {
      responseDeadline = -1;
      if (!done) {
        fail(ApiException.gatewayTimeout("backend host " + host + " did not answer in time"));
      }
    });
  }

  private void stopResponseDeadline() {
    if (responseDeadline >= 0) {
      client.vertx().cancelTimer(responseDeadline);
      responseDeadline = -1;
    }
  }

  private void releaseHeld() {
    if (heldBody != null) {
      heldBody.release();
      heldBody = null;
    }
    if (eventLines != null) {
      eventLines.discard();
    }
  }

  @Override
  public void onClientClosed() {
    stopResponseDeadline();
    if (view != null) {
      view.finished();
    }
    if (!done) {
      done = true;
      releaseHeld();
      clearDrainHandlers();
      if (backend != null) {
        Sockets.closeDiscardingInput(backend.socket());
      }
    }
  }

  /** The exchange is over: a later drain of either socket must not pause or resume anything for it. */
  private void clearDrainHandlers() {
    clientSocket.drainHandler(null);
    if (backend != null) {
      backend.socket().drainHandler(null);
    }
  }

  private void updateClientReading() {
    boolean bodyReadFirst = backend == null && inspectedBody != null;
    if (done || requestComplete || (backend == null && !bodyReadFirst) || (backend != null && backend.socket().writeQueueFull())) {
      clientSocket.pause();
    } else {
      clientSocket.resume();
    }
  }

  private void updateBackendReading() {
    if (backend == null || done) {
      return;
    }
    if (clientSocket.writeQueueFull()) {
      backend.socket().pause();
    } else {
      backend.socket().resume();
    }
  }

  private void onBackendMessage(Object msg) {
    if (done) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpResponse head) {
      onResponseHead(head);
    } else if (msg instanceof HttpContent content) {
      onResponseContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onResponseHead(HttpResponse head) {
    if (head.status().code() >= 200 || head.status().code() == 101) {
      // An interim 100 Continue is not the answer: the deadline runs on until the final head.
      stopResponseDeadline();
    }
    if (head.decoderResult().isFailure()) {
      fail(ApiException.badGateway("backend host " + backend.host().name() + " sent an invalid response"));
      return;
    }
    int code = head.status().code();
    if (code == 101 && !call.mayHijack()) {
      // The Upgrade header of a call that may not hijack was not forwarded: a daemon switching
      // protocols anyway is not speaking the API, and the connection must not become a raw stream.
      fail(ApiException.badGateway("backend host " + backend.host().name() + " switched protocols on a call that does not"));
      return;
    }
    if (code == 101 || (call.mayHijack() && code == 200 && isStreamContentType(head))) {
      hijack(head);
      return;
    }
    if (code >= 100 && code < 200) {
      // 100 Continue and friends: passed on as a complete message (the encoder must see its end), and
      // the empty end the decoder adds after them is swallowed.
      skipInterimEnd = true;
      HopByHopHeaders.strip(head.headers(), false);
      clientSocket.writeMessage(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, head.status(),
          Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE));
      return;
    }
    backendKeepAlive = HttpUtil.isKeepAlive(head);
    HopByHopHeaders.strip(head.headers(), false);
    closeClientAfter = !clientKeepAlive || client.inputShutdown() || readsUntilClose(head);
    head.headers().set(HttpHeaderNames.CONNECTION, closeClientAfter ? HttpHeaderValues.CLOSE : HttpHeaderValues.KEEP_ALIVE);
    head.setProtocolVersion(HttpVersion.HTTP_1_1);
    boolean success = code == 200 || code == 201;
    if (!success || HttpMethod.HEAD.equals(request.method())) {
      eventLines = null;
    }
    if (eventLines != null && HttpUtil.isContentLengthSet(head)) {
      // Rewritten lines change the length: the answer goes out chunked instead (Go sets a
      // Content-Length on a short answer such as stats?stream=false).
      head.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
      head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    if (!success && code >= 400 && !HttpMethod.HEAD.equals(request.method()) && isJson(head)) {
      // The daemon's error names the tenant's objects by their backend names: said in the tenant's.
      responseRewrite = view.errorRewrite();
      heldHead = head;
      heldBody = Unpooled.compositeBuffer();
      return;
    }
    if (responseRewrite != null && success && !HttpMethod.HEAD.equals(request.method())) {
      heldHead = head;
      heldBody = Unpooled.compositeBuffer();
      return;
    }
    responseStarted = true;
    clientSocket.writeMessage(head);
  }

  /** Gathers an answer that is rewritten whole; at its end, rewrites it and sends head and body. */
  private void holdResponseContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (heldBody.readableBytes() + content.content().readableBytes() > MAX_REWRITTEN_BODY_BYTES) {
      ReferenceCountUtil.release(content);
      fail(ApiException.badGateway("the answer of backend host " + backend.host().name() + " is too large to filter"));
      return;
    }
    heldBody.addComponent(true, content.content().retain());
    ReferenceCountUtil.release(content);
    if (!last) {
      return;
    }
    CompositeByteBuf raw = heldBody;
    heldBody = null;
    ByteBuf rewritten;
    try {
      Object json = io.vertx.core.json.Json.decodeValue(BufferInternal.buffer(raw.duplicate()));
      rewritten = Unpooled.wrappedBuffer(io.vertx.core.json.Json.encodeToBuffer(responseRewrite.apply(json)).getBytes());
    } catch (RuntimeException | StackOverflowError e) {
      fail(ApiException.badGateway("backend host " + backend.host().name() + " sent an answer that could not be read: " + e.getMessage()));
      return;
    } finally {
      raw.release();
    }
    HttpResponse head = heldHead;
    heldHead = null;
    head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
    head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, rewritten.readableBytes());
    responseStarted = true;
    clientSocket.writeMessage(head);
    clientSocket.writeMessage(new DefaultLastHttpContent(rewritten));
    complete();
  }

  private void onResponseContent(HttpContent content) {
    if (skipInterimEnd && content instanceof LastHttpContent) {
      skipInterimEnd = false;
      ReferenceCountUtil.release(content);
      return;
    }
    if (content.decoderResult().isFailure()) {
      // The daemon went away in the middle of a body: the client must see a broken response, not a short one.
      ReferenceCountUtil.release(content);
      fail(ApiException.badGateway("backend host " + backend.host().name() + " closed the connection mid-response"));
      return;
    }
    if (heldBody != null) {
      holdResponseContent(content);
      return;
    }
    boolean last = content instanceof LastHttpContent;
    if (eventLines != null) {
      ByteBuf lines = eventLines.apply(content.content().retain(), clientSocket.channelHandlerContext().alloc());
      if (last) {
        lines = Unpooled.wrappedBuffer(lines, eventLines.finish(clientSocket.channelHandlerContext().alloc()));
      }
      HttpContent rewritten = last ? new DefaultLastHttpContent(lines, ((LastHttpContent) content).trailingHeaders())
          : new io.netty.handler.codec.http.DefaultHttpContent(lines);
      ReferenceCountUtil.release(content);
      content = rewritten;
    }
    clientSocket.writeMessage(content);
    if (last) {
      complete();
    } else {
      updateBackendReading();
    }
  }

  private void complete() {
    stopResponseDeadline();
    done = true;
    view.finished();
    clearDrainHandlers();
    boolean backendReusable = requestComplete && backendKeepAlive;
    if (backendReusable) {
      backend.socket().resume();
      client.services().backends().release(backend);
    } else {
      Sockets.closeDiscardingInput(backend.socket());
    }
    client.exchangeDone(this, closeClientAfter || !requestComplete);
  }

  private void onBackendEvent(Object event) {
    if (event instanceof ChannelInputShutdownEvent && !responseStarted && !done) {
      // Nothing of a response arrived, so nothing can be queued behind this: fail now.
      fail(ApiException.badGateway("backend host " + backend.host().name() + " closed the connection without answering"));
    } else if (event instanceof ChannelInputShutdownEvent && !done) {
      // The decoder ahead of this handler has passed on all it had (a body read until close ended with
      // it, and the exchange is done): a response still open now was cut short by the daemon.
      fail(ApiException.badGateway("backend host " + backend.host().name() + " closed the connection mid-response"));
    }
    ReferenceCountUtil.release(event);
  }

  private void onBackendClosed() {
    if (!done) {
      fail(ApiException.badGateway("backend host " + backend.host().name() + " closed the connection"));
    }
  }

  private void hijack(HttpResponse head) {
    stopResponseDeadline();
    done = true;
    view.finished();
    clearDrainHandlers();
    NetSocketInternal backendSocket = backend.socket();
    // The splice takes both sockets over now, so that nothing that arrives while the head is being
    // written (the daemon's first output, a FIN, the client's close_notify) goes to a handler that
    // would drop it; it starts moving bytes once the head is out.
    SplicedStream session = new SplicedStream(clientSocket, backendSocket);
    // The head's status is the call's; the bytes after it are the session's.
    client.call().status(head.status().code());
    io.portcullis.gateway.observe.SessionRecord opened = client.services().observer().sessionOpened(client.call());
    client.meter().spliced(opened);
    session.closed().onComplete(v -> {
      client.services().observer().sessionClosed(opened);
      // The splice owned the connection: what it held of the node's limits goes back with it.
      client.releaseCounts();
    });
    if (client.inputShutdown()) {
      session.clientAlreadyEnded();
    }
    backend.removeHttpCodec();
    HopByHopHeaders.strip(head.headers(), true);
    clientSocket.writeMessage(head).onComplete(ar -> {
      if (ar.failed()) {
        // The splice owns the socket's close now: the call is over here (its session closes at once).
        client.services().observer().finished(client.call());
        session.close();
        return;
      }
      client.codec().removeFrom(clientSocket.channelHandlerContext().pipeline());
      client.hijacked(this);
      session.start();
      client.services().sessions().add(session, client.credential(), client.identityGeneration(),
          new LiveSessions.Opened(tenant.id(), request.method().name(), call.path(), call.objectId()));
    });
  }

  private boolean readsUntilClose(HttpResponse head) {
    int code = head.status().code();
    boolean noBody = code == 204 || code == 304 || HttpMethod.HEAD.equals(request.method());
    return !noBody && !HttpUtil.isContentLengthSet(head) && !HttpUtil.isTransferEncodingChunked(head);
  }

  private static boolean isJson(HttpResponse head) {
    String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
    return type != null && type.startsWith("application/json");
  }

  private static boolean isStreamContentType(HttpResponse head) {
    String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
    return type != null && (type.startsWith(RAW_STREAM) || type.startsWith(MULTIPLEXED_STREAM));
  }
}
