package io.portcullis.gateway.edge;

import io.portcullis.gateway.limits.EdgeLimits;
import io.portcullis.gateway.limits.HeadWatch;
import io.portcullis.gateway.observe.CallMeter;
import io.portcullis.gateway.observe.CallRecord;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.Route;
import io.portcullis.gateway.hosts.CallPlacement;
import io.portcullis.contracts.IdentifyRequest;
import io.portcullis.contracts.Tenant;
import io.portcullis.gateway.channel.FlushBatching;
import io.portcullis.gateway.channel.Sockets;
import io.portcullis.gateway.classify.ApiCall;
import io.portcullis.gateway.ownership.Ownership;
import io.vertx.core.Future;
import io.vertx.core.internal.net.NetSocketInternal;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One tenant connection at the edge. The request pipeline, in order:
 *
 * <ol>
 *   <li><b>identify</b> the tenant, once per connection, by asking the auth verticle;</li>
 *   <li><b>classify</b> each request by the endpoint table (family, stream mode, object);</li>
 *   <li><b>locate</b> the backend host that serves it: the registry names the tenant's hosts (cached);
 *   with one, the object in the path is checked there; with several, the call is merged from all of
 *   them, or goes to the host holding its object, or to the host placement chooses for a new one;</li>
 *   <li><b>forward</b> it in a {@link ProxyExchange}, which streams both bodies and may end by
 *   splicing the connection into a hijacked stream.</li>
 * </ol>
 *
 * Requests on one connection are served one at a time, in order; a pipelined request waits, unread,
 * until the previous response is complete.
 */
final class ClientConnection {
  /** A refused request's body is read and dropped up to this much before the connection is closed. */
  private static final long MAX_DRAINED_BYTES = 256L << 20;
  private static final long DRAIN_TIMEOUT_MS = 30_000;
  private boolean draining;
  private long drained;
  /** Request numbers, unique per node; connections on every event loop draw from it. */
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final NetSocketInternal socket;
  private final EdgeServices services;
  private final EdgeHttpCodec codec;
  private final boolean tls;
  private Future<Tenant> tenant;
  private IdentifyRequest credential;
  private long identityGeneration;
  private Exchange current;
  private final ArrayDeque<Classified> classifiedAhead = new ArrayDeque<>(2);
  private boolean inputShutdown;
  private boolean shuttingDown;
  private boolean hijackedSession;
  private boolean closed;
  private CallMeter meter;
  /** The node's connection limit refused this connection: its first request is answered so, then closed. */
  private ApiException overNodeLimit;
  /** The tenant whose connection count this one is in (once identified), and whose session it may hold. */
  private String countedTenant;
  /** The current call took a session slot (it may hijack): given back when it ends unhijacked, or its session closes. */
  private boolean sessionSlot;
  private boolean countsReleased;
  private HeadWatch headWatch;
  /** The call being served (or last served): its record is finished when the exchange ends. */
  private CallRecord callRecord;

  ClientConnection(NetSocketInternal socket, EdgeServices services, boolean tls) {
    this.socket = socket;
    this.services = services;
    this.tls = tls;
    HttpDecoderConfig decoderConfig = new HttpDecoderConfig()
        .setMaxInitialLineLength(services.config().maxInitialLineBytes())
        .setMaxHeaderSize(services.config().maxHeaderBytes())
        .setMaxChunkSize(65536);
    this.codec = new EdgeHttpCodec(decoderConfig, this::mayHijack);
  }

  void start() {
    socket.channelHandlerContext().channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    // A tenant that vanishes mid-session (laptop closed, NAT dropped) frees its session and its backend
    // connection after the keepalive probes go unanswered.
    services.config().tcpKeepAlive().applyTo(socket.channelHandlerContext().channel());
    codec.addTo(socket.channelHandlerContext().pipeline());
    FlushBatching.install(socket.channelHandlerContext().pipeline());
    meter = services.observer().connectionOpened(tls);
    meter.addTo(socket.channelHandlerContext().pipeline());
    overNodeLimit = services.limits().connectionOpened();
    headWatch = new HeadWatch(services.limits().config().idleTimeoutMs(), services.limits().config().requestHeadTimeoutMs(),
        this::onIdleTimeout, this::onHeadTimeout);
    headWatch.addBefore(socket.channelHandlerContext().pipeline(), EdgeHttpCodec.DECODER);
    headWatch.waiting();
    socket.messageHandler(this::onMessage);
    socket.eventHandler(this::onEvent);
    socket.closeHandler(v -> onClosed());
    socket.shutdownHandler(v -> onShutdown());
    socket.exceptionHandler(err -> socket.close());
    String remote = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().toString();
    tenant = tls ? identifyByCertificate(remote) : identify(IdentifyRequest.plaintext(remote));
  }

  private Future<Tenant> identify(IdentifyRequest request) {
    credential = request;
    identityGeneration = services.identities().generation();
    return services.identities().identify(request);
  }

  /**
   * The connection's identity, asked again if the auth state changed since it was established, so that
   * a revocation refuses the next request on an open keep-alive connection too.
   */
  private Future<Tenant> currentTenant() {
    if (credential != null && identityGeneration != services.identities().generation()) {
      tenant = identify(credential);
    }
    return tenant;
  }

  /** The credential this connection was identified with. */
  IdentifyRequest credential() {
    return credential;
  }

  /** The identity cache generation at which the credential was last identified. */
  long identityGeneration() {
    return identityGeneration;
  }

  private Future<Tenant> identifyByCertificate(String remote) {
    List<Certificate> chain;
    try {
      chain = socket.peerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Future.failedFuture(ApiException.unauthorized("a client certificate is required"));
    }
    try {
      IdentifyRequest request = IdentifyRequest.fromPeerCertificates(remote, chain);
      return request == null
          ? Future.failedFuture(ApiException.unauthorized("a client certificate is required"))
          : identify(request);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(ApiException.unauthorized(e.getMessage()));
    }
  }

  NetSocketInternal socket() {
    return socket;
  }

  EdgeServices services() {
    return services;
  }

  EdgeHttpCodec codec() {
    return codec;
  }

  boolean inputShutdown() {
    return inputShutdown;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Classifies a request the moment the decoder has its head (the decoder must know at once whether to
   * stop after it); {@link #onRequest} picks the result up instead of classifying again.
   */
  private boolean mayHijack(HttpRequest request) {
    Classified classified;
    try {
      classified = new Classified(request, services.classifier().classify(request.method().name(), request.uri()), null);
    } catch (IllegalArgumentException e) {
      classified = new Classified(request, null, e);
    }
    classifiedAhead.add(classified);
    return request.headers().contains(HttpHeaderNames.UPGRADE) || (classified.call() != null && classified.call().mayHijack());
  }

  private record Classified(HttpRequest request, ApiCall call, IllegalArgumentException error) {}

  private ApiCall classified(HttpRequest request) {
    Classified head = classifiedAhead.poll();
    while (head != null && head.request() != request) {
      head = classifiedAhead.poll();
    }
    if (head == null) {
      return services.classifier().classify(request.method().name(), request.uri());
    }
    if (head.error() != null) {
      throw head.error();
    }
    return head.call();
  }

  private void drainThenClose() {
    draining = true;
    long timer = vertx().setTimer(DRAIN_TIMEOUT_MS, t -> socket.close());
    socket.closeHandler(v -> {
      vertx().cancelTimer(timer);
      onClosed();
    });
    socket.resume();
  }

  io.vertx.core.Vertx vertx() {
    return io.vertx.core.Vertx.currentContext().owner();
  }

  private void onDrainedMessage(Object msg) {
    if (msg instanceof HttpContent content) {
      drained += content.content().readableBytes();
      if (content instanceof LastHttpContent || drained > MAX_DRAINED_BYTES) {
        socket.close();
      }
    }
    ReferenceCountUtil.release(msg);
  }

  private void onMessage(Object msg) {
    if (draining) {
      onDrainedMessage(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      onRequest(request);
    }
    if (msg instanceof HttpContent content) {
      if (callRecord != null) {
        // Counted here, as the exchange gets it, not as it arrives: a pipelined request's body may
        // arrive while the previous answer is still being written.
        callRecord.addBytesIn(content.content().readableBytes());
      }
      if (current != null) {
        current.onClientContent(content);
      } else {
        ReferenceCountUtil.release(content);
      }
    } else if (!(msg instanceof HttpRequest)) {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onRequest(HttpRequest request) {
    String requestId = services.nodeId() + "-" + SEQUENCE.incrementAndGet();
    headWatch.notWaiting();
    callRecord = new CallRecord(requestId, request.method().name());
    if (credential != null) {
      callRecord.identified(null, credential.certificateFingerprint());
    }
    meter.serving(callRecord);
    if (request.decoderResult().isFailure()) {
      refuse(malformed(request.decoderResult().cause()));
      return;
    }
    ApiCall call;
    try {
      call = classified(request);
    } catch (IllegalArgumentException e) {
      refuse(ApiException.badRequest("invalid request path: " + e.getMessage()));
      return;
    }
    callRecord.classified(call.family(), call.path(), call.objectId());
    ApiException unacceptable = overNodeLimit != null ? overNodeLimit : RequestChecks.refusal(request, call);
    if (unacceptable != null) {
      refuse(unacceptable);
      return;
    }
    ProxyExchange exchange = new ProxyExchange(this, request, call, requestId);
    current = exchange;
    // Nothing more is read from the client until the backend is connected and the head is written.
    socket.pause();
    CallRecord record = callRecord;
    Future<Tenant> authorised = currentTenant().map(t -> {
      record.identified(t.id(), credential == null ? null : credential.certificateFingerprint());
      admit(t.id(), call);
      services.calls().check(request.method().name(), call);
      services.creates().checkBuildKitCall(t.id(), call.family());
      return t;
    });
    authorised
        .compose(t -> {
          if (LocalAnswers.answers(call)) {
            exchange.answerLocally();
            return Future.<Route>failedFuture(ANSWERED);
          }
          return services.routes().route(t.id(), call.family());
        })
        .onComplete(ar -> {
          if (ar.failed() && ar.cause() == ANSWERED) {
            return;
          }
          if (ar.failed()) {
            exchange.fail(ar.cause());
          } else if (ar.result().multiHost()) {
            acrossHosts(exchange, request, call, requestId, authorised.result(), ar.result());
          } else {
            onOneHost(exchange, request, call, authorised.result(), ar.result().host());
          }
        });
  }

  /** The tenant's calls all go to one host: the object in the path is checked there. */
  private void onOneHost(ProxyExchange exchange, HttpRequest request, ApiCall call, Tenant tenant, BackendHost host) {
    services.ownership().check(tenant.id(), call, host).onComplete(ar -> {
      try {
        if (ar.succeeded()) {
          setTarget(request, call, ar.result());
          exchange.start(host, tenant);
        } else {
          exchange.fail(ar.cause());
        }
      } catch (RuntimeException e) {
        exchange.fail(e);
      }
    });
  }

  /**
   * The tenant's calls span hosts: a call is merged from all of them ({@link FanOutExchange}), or goes
   * to the host that holds its object, or to the host placement chooses for what it creates.
   */
  private void acrossHosts(ProxyExchange exchange, HttpRequest request, ApiCall call, String requestId, Tenant tenant, Route route) {
    CallPlacement placement;
    try {
      placement = CallPlacement.of(call, request.uri());
    } catch (IllegalArgumentException e) {
      exchange.fail(ApiException.badRequest("invalid query: " + e.getMessage()));
      return;
    }
    if (placement.kind() == CallPlacement.Kind.SPANS) {
      FanOutExchange spanning = new FanOutExchange(this, request, call, requestId, exchange.requestComplete());
      if (current == exchange) {
        current = spanning;
      }
      try {
        setTarget(request, call, null);
        spanning.start(route, tenant);
      } catch (RuntimeException e) {
        spanning.fail(e);
      }
      return;
    }
    services.locator().resolve(tenant.id(), call, placement, route, services.ownership()).onComplete(ar -> {
      try {
        if (ar.failed()) {
          exchange.fail(ar.cause());
        } else if (ar.result().host() == null) {
          setTarget(request, call, null);
          exchange.startPlacedByBody(route, tenant);
        } else {
          setTarget(request, call, ar.result().backendRef());
          exchange.start(ar.result().host(), tenant, route);
        }
      } catch (RuntimeException e) {
        exchange.fail(e);
      }
    });
  }

  /** Always the path that was classified and checked, never the raw one the daemon might read otherwise. */
  private static void setTarget(HttpRequest request, ApiCall call, String backendRef) {
    try {
      request.setUri(Ownership.targetWithObject(call.apiVersion(), call.path(), request.uri(), backendRef));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid query: " + e.getMessage());
    }
  }

  /** Marks a call the edge answered itself ({@link LocalAnswers}): nothing more to do for it. */
  private static final Exception ANSWERED = new Exception("answered by the gateway", null, false, false) {};

  private static ApiException malformed(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return new ApiException(414, "request line is too long").byRule("limit:request-line");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new ApiException(431, "request headers are too large").byRule("limit:header-size");
    }
    if (cause instanceof TooLongFrameException) {
      return new ApiException(413, "request is too large").byRule("limit:body-size");
    }
    return ApiException.badRequest("malformed HTTP request: " + cause.getMessage());
  }

  /**
   * A request that is not forwarded at all: answer with {@code Connection: close} and close, since its
   * body (if any) was not read and the next request could not be found on the wire.
   */
  private void refuse(ApiException error) {
    socket.pause();
    CallRecord refused = callRecord;
    refused.refusedByGateway(error.rule());
    ErrorResponder.respondBeforeClosing(socket, error).onComplete(ar -> {
      services.observer().finished(refused);
      Sockets.closeDiscardingInput(socket);
    });
  }

  /** The record of the call being served. */
  CallRecord call() {
    return callRecord;
  }

  CallMeter meter() {
    return meter;
  }

  private void onEvent(Object event) {
    // Over TLS a client that is done sending says so with close_notify; on plain TCP with a FIN.
    if (event instanceof ChannelInputShutdownEvent || event instanceof SslCloseCompletionEvent) {
      inputShutdown = true;
      if (current == null) {
        socket.close();
      }
    }
    ReferenceCountUtil.release(event);
  }

  /**
   * The node is shutting down: an idle connection closes now, one serving a request closes after its
   * answer, and a hijacked session or a stream goes on until it ends (or the grace period does).
   */
  private void onShutdown() {
    shuttingDown = true;
    if (draining || (current == null && !hijackedSession)) {
      Sockets.closeDiscardingInput(socket);
    }
  }

  private void onClosed() {
    closed = true;
    if (current != null) {
      current.onClientClosed();
    }
    services.observer().connectionClosed();
    if (callRecord != null && !hijackedSession) {
      services.observer().finished(callRecord);
    }
    headWatch.stop();
    if (!hijackedSession) {
      releaseCounts();
    }
  }

  /**
   * The tenant's limits for this request: its connection counted once identified, its rate, and a
   * session slot for a call that may hijack. Throws the refusal (429, or 503 for the node's own limits).
   */
  private void admit(String tenant, ApiCall call) {
    EdgeLimits limits = services.limits();
    if (countedTenant == null) {
      countedTenant = tenant;
      ApiException tooMany = limits.tenantConnectionOpened(tenant);
      if (tooMany != null) {
        throw tooMany;
      }
    }
    ApiException tooFast = limits.request(tenant);
    if (tooFast != null) {
      throw tooFast;
    }
    if (call.mayHijack() && !sessionSlot) {
      ApiException tooManySessions = limits.sessionOpening(tenant);
      if (tooManySessions != null) {
        throw tooManySessions;
      }
      sessionSlot = true;
    }
  }

  /** Gives back what this connection holds of the node's limits, once. */
  void releaseCounts() {
    if (countsReleased) {
      return;
    }
    countsReleased = true;
    services.limits().connectionClosed();
    if (countedTenant != null) {
      services.limits().tenantConnectionClosed(countedTenant);
      if (sessionSlot) {
        sessionSlot = false;
        services.limits().sessionClosed(countedTenant);
      }
    }
  }

  /** No request started within the idle timeout: closed without a word (as a keep-alive timeout is). */
  private void onIdleTimeout() {
    if (current == null && !hijackedSession && !closed) {
      Sockets.closeDiscardingInput(socket);
    }
  }

  /** A request started but its head did not complete in time: 408, closed. */
  private void onHeadTimeout() {
    if (current == null && !hijackedSession && !closed) {
      callRecord = new CallRecord(services.nodeId() + "-" + SEQUENCE.incrementAndGet(), "?");
      meter.serving(callRecord);
      refuse(new ApiException(408, "request head not complete within " + services.limits().config().requestHeadTimeoutMs()
          + " ms").byRule("limit:head-timeout"));
    }
  }


  /** Called by the exchange when its response is complete and the connection is HTTP again. */
  void exchangeDone(Exchange exchange, boolean close) {
    if (current != exchange) {
      return;
    }
    current = null;
    services.observer().finished(callRecord);
    if (sessionSlot) {
      // The call could have hijacked but was answered as plain HTTP: its slot goes back.
      sessionSlot = false;
      services.limits().sessionClosed(countedTenant);
    }
    if (close && !inputShutdown && !exchange.requestComplete()) {
      // Refused before its body was read (a docker load, a create over its limit): read the rest and
      // drop it before closing, or the close would reset the connection under a client still sending
      // and it would never read the answer.
      drainThenClose();
      return;
    }
    if (close || inputShutdown || shuttingDown) {
      Sockets.closeDiscardingInput(socket);
      return;
    }
    // Only the exchange whose request froze the decoder may thaw it: with pipelining, an earlier
    // exchange can finish while a later attach request already froze it.
    codec.thawAfter(exchange.request());
    headWatch.waiting();
    socket.resume();
  }

  /** Called by the exchange when the connection became a spliced stream, which now owns the socket. */
  void hijacked(ProxyExchange exchange) {
    hijackedSession = true;
    headWatch.stop();
    services.observer().finished(callRecord);
    if (current == exchange) {
      current = null;
    }
  }
}
