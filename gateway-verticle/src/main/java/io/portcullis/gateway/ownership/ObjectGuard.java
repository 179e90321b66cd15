package io.portcullis.gateway.ownership;

import io.portcullis.contracts.BackendHost;
import io.portcullis.gateway.classify.ApiCall;
import io.vertx.core.Future;

/** Decides, before a call is forwarded, whether the object it addresses is the tenant's. */
public interface ObjectGuard {
  Future<Void> check(String tenant, ApiCall call, BackendHost host);
}
