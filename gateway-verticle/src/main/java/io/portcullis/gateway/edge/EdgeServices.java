package io.portcullis.gateway.edge;

import io.portcullis.gateway.GatewayConfig;
import io.portcullis.gateway.backend.BackendPool;
import io.portcullis.gateway.classify.RequestClassifier;
import io.portcullis.gateway.ownership.ObjectGuard;
import io.portcullis.gateway.policy.CallPolicy;
import io.portcullis.gateway.policy.CreatePolicy;
import io.portcullis.gateway.policy.PolicyConfig;
import io.portcullis.gateway.policy.QuotaPolicy;

/** What a client connection needs from its event loop's edge: one instance per gateway verticle. */
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
    String nodeId) {}
