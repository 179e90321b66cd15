package io.portcullis.gateway.edge;

import io.portcullis.gateway.GatewayConfig;
import io.portcullis.gateway.backend.BackendPool;
import io.portcullis.gateway.classify.RequestClassifier;

/** What a client connection needs from its event loop's edge: one instance per gateway verticle. */
public record EdgeServices(
    GatewayConfig config,
    IdentityCache identities,
    RequestClassifier classifier,
    RouteCache routes,
    BackendPool backends,
    LiveSessions sessions,
    String nodeId) {}
