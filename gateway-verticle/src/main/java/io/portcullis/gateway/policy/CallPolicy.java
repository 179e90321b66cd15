package io.portcullis.gateway.policy;

import io.portcullis.contracts.ApiException;
import io.portcullis.gateway.classify.ApiCall;
import java.util.Set;

/**
 * Which calls a tenant may make at all. Deny what the endpoint table does not list, and the calls that
 * act on the whole host or on everyone's objects: swarm and plugin management, and {@code docker load}, whose archive could move any tag on the host
 * (the gateway cannot check the tags inside it without reading the whole archive). The other prune
 * endpoints are allowed: their filters are narrowed to the tenant's objects (the build cache's prune is
 * answered by the edge itself with nothing deleted: {@code LocalAnswers}).
 */
public final class CallPolicy {
  private static final Set<String> REFUSED = Set.of(
      "swarm.manage", "swarm.write", "swarm.unlockkey",
      "plugins.pull", "plugins.create", "plugins.manage", "plugins.remove", "plugins.privileges",
      "images.load");

  public void check(String method, ApiCall call) {
    if (call.family().equals("unlisted")) {
      throw ApiException.forbidden("the call " + method + " " + call.path() + " is not allowed through this gateway").byRule("unlisted-call");
    }
    if (REFUSED.contains(call.family())) {
      throw ApiException.forbidden("the call " + method + " " + call.path() + " (" + call.family()
          + ") is not available to tenants of this gateway").byRule("refused-call");
    }
  }
}
