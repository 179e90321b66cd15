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

  /**
   * The named volumes a new container mounts must be the tenant's: an existing one owned by another
   * tenant is refused as "No such volume", a missing one is created now, owned, rather than left for the
   * daemon to create without an owner.
   */
  Future<Void> claimVolumes(String tenant, java.util.List<String> names, BackendHost host);
}
