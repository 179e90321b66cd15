package io.portcullis.gateway.ownership;

import io.portcullis.contracts.BackendHost;
import io.portcullis.gateway.classify.ApiCall;
import io.portcullis.gateway.rewrite.ResponseRewrites.TenantCounts;
import io.vertx.core.Future;
import java.util.List;

/**
 * For edge tests against a fake daemon that cannot answer ownership inspects: every object is the
 * tenant's, every reference passes unchanged. Never used outside tests.
 */
public final class AllowEverythingGuard implements ObjectGuard {
  @Override
  public Future<String> check(String tenant, ApiCall call, BackendHost host) {
    return Future.succeededFuture(null);
  }

  @Override
  public Future<String> containerId(String tenant, String ref, BackendHost host) {
    return Future.succeededFuture(ref);
  }

  @Override
  public Future<Void> claimVolumes(String tenant, List<String> backendNames, BackendHost host) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> checkNetworks(String tenant, List<String> backendNames, BackendHost host) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> checkTagsFree(String tenant, List<String> imageRefs, BackendHost host) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> checkContainerQuota(String tenant, long maxContainers, java.util.List<BackendHost> hosts) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> checkImageVisible(String tenant, String ref, BackendHost host, boolean missingAllowed) {
    return Future.succeededFuture();
  }

  @Override
  public Future<TenantCounts> counts(String tenant, BackendHost host) {
    return Future.succeededFuture(new TenantCounts(0, 0, 0, 0, 0));
  }
}
