package io.portcullis.gateway.ownership;

import io.portcullis.contracts.BackendHost;
import io.portcullis.gateway.classify.ApiCall;
import io.portcullis.gateway.rewrite.ResponseRewrites.TenantCounts;
import io.vertx.core.Future;
import java.util.List;

/**
 * Decides, before a call is forwarded, whether the objects it names are the tenant's. Every method
 * fails (404, 409 or 403 as Docker would answer) rather than let a call through it cannot decide on.
 */
public interface ObjectGuard {
  /**
   * Resolves the object in a call's path within the tenant's own objects. Completes with the backend
   * reference to forward instead of the tenant's (a container's full ID, a volume's backend name, a
   * network's ID), so that the call cannot reach another object a moment later; with null when the
   * path addresses nothing to replace; fails with a 404 for another tenant's object or a missing one.
   */
  Future<String> check(String tenant, ApiCall call, BackendHost host);

  /** The full ID of the tenant's container {@code ref} (ID, prefix or the tenant's name), else a 404. */
  Future<String> containerId(String tenant, String ref, BackendHost host);

  /**
   * The named volumes a new container mounts (backend names) must be the tenant's: one owned by another
   * tenant is refused, a missing one is created now, owned, rather than by the daemon without an owner.
   */
  Future<Void> claimVolumes(String tenant, List<String> backendNames, BackendHost host);

  /** The user-defined networks (backend names) a container joins must be the tenant's. */
  Future<Void> checkNetworks(String tenant, List<String> backendNames, BackendHost host);

  /**
   * Image references a call would point at a new image (build, commit, tag, import) must be free or
   * the tenant's: no tenant may move a tag that other tenants' containers run from.
   */
  Future<Void> checkTagsFree(String tenant, List<String> imageRefs, BackendHost host);

  /** Refuses (409) a container create that would take the tenant past {@code maxContainers} on these hosts. */
  Future<Void> checkContainerQuota(String tenant, long maxContainers, List<BackendHost> hosts);

  /**
   * The image {@code ref} must be one the tenant may see (shared, or its own): another tenant's is
   * "No such image". With {@code missingAllowed}, an image that does not exist at all passes (the
   * daemon then answers for it).
   */
  Future<Void> checkImageVisible(String tenant, String ref, BackendHost host, boolean missingAllowed);

  /** The tenant's container and image counts on the host, for its view of {@code /info}. */
  Future<TenantCounts> counts(String tenant, BackendHost host);
}
