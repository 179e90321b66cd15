package io.portcullis.gateway.edge;

import io.portcullis.contracts.RegistryClient;
import io.portcullis.gateway.GatewayConfig;
import io.portcullis.gateway.hosts.HostLocator;
import io.vertx.core.http.HttpClient;
import io.portcullis.gateway.backend.BackendPool;
import io.portcullis.gateway.classify.RequestClassifier;
import io.portcullis.gateway.ownership.ObjectGuard;
import io.portcullis.gateway.policy.CallPolicy;
import io.portcullis.gateway.policy.CreatePolicy;
import io.portcullis.gateway.policy.PolicyConfig;
import io.portcullis.gateway.policy.QuotaPolicy;

/**
 * What a client connection needs from its event loop's edge: one instance per gateway verticle.
 * {@code backendHttp} serves calls that span hosts; single-host calls use the {@code backends} pool.
 */
public record EdgeServices(
    GatewayConfig config,
    IdentityCache identities,
    RequestClassifier classifier,
    RouteCache routes,
    BackendPool backends,
    CallPolicy calls,
    CreatePolicy creates,
    PolicyConfig policy,
    QuotaPolicy quotas,
    ObjectGuard ownership,
    LiveSessions sessions,
    String nodeId,
    HostLocator locator,
    RegistryClient registry,
    HttpClient backendHttp,
    io.portcullis.gateway.observe.EdgeObserver observer,
    io.portcullis.gateway.limits.EdgeLimits limits) {}
