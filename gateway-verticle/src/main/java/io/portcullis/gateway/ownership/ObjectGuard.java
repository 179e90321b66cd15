package io.portcullis.gateway.ownership;

import io.portcullis.contracts.BackendHost;
import io.portcullis.gateway.classify.ApiCall;
import io.vertx.core.Future;

/** Decides, before a call is forwarded, whether the object it addresses is the tenant's. */
public interface ObjectGuard {
  /**
   * Completes with the full ID of the container the call addresses when it is the tenant's (so that the
   * call is forwarded with that ID, not with a name that could point elsewhere a moment later), with
   * null when the call addresses no container, and fails with a 404 otherwise.
   */
  Future<String> check(String tenant, ApiCall call, BackendHost host);
}
