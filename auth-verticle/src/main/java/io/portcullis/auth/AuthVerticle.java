package io.portcullis.auth;

import io.portcullis.auth.ca.CertificateAuthority;
import io.portcullis.auth.store.TenantStore;
import io.portcullis.contracts.Addresses;
import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.IdentifyRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;

/**
 * Wires the {@link Identifier} to {@link Addresses#AUTH_IDENTIFY}. The CA and the tenant store are read
 * from the state directory at start; the store is re-read on a timer so that changes made with the
 * command line (a tenant removed, a certificate revoked) apply to new requests within a second, and
 * {@link Addresses#AUTH_EVENTS_CHANGED} is published when they do. The admin API's tenant, key and
 * revocation questions ({@link Addresses#AUTH_TENANTS_LIST} and following) are answered by a
 * {@link TenantAdmin} over the same store, so their changes apply at once.
 */
public final class AuthVerticle extends VerticleBase {
  private static final System.Logger log = System.getLogger(AuthVerticle.class.getName());

  private TenantStore store;
  /** The store's load count when a change was last published. */
  private long publishedLoads;

  @Override
  public Future<?> start() {
    // Every outcome's series exists from the start (at zero), for rates and alerts.
    for (String outcome : new String[] {"accepted", "unauthenticated", "forbidden", "error", "malformed"}) {
      outcome(outcome);
    }
    AuthConfig config = AuthConfig.fromJson(config().getJsonObject("auth", new JsonObject()));
    return vertx.executeBlocking(() -> {
      CertificateAuthority ca = CertificateAuthority.load(config.stateDir());
      store = TenantStore.open(config.stateDir());
      publishedLoads = store.loads();
      return new Identifier(config, new CertificateVerifier(ca, store, Clock.systemUTC()));
    }).compose(identifier -> {
      vertx.setPeriodic(config.reloadIntervalMs(), id -> reload());
      // The cluster's newer copy arrived: applied now, not at the next reload.
      vertx.eventBus().<String>localConsumer(Addresses.STATE_FILE_REPLACED, msg -> {
        if (TenantStore.FILE_NAME.equals(msg.body())) {
          reload();
        }
      });
      TenantAdmin admin = new TenantAdmin(new Onboarding(config.stateDir(), store));
      return Future.join(List.of(
          vertx.eventBus().<JsonObject>consumer(Addresses.AUTH_IDENTIFY, msg -> identify(identifier, msg)).completion(),
          serve(Addresses.AUTH_TENANTS_LIST, false, body -> admin.list()),
          serve(Addresses.AUTH_TENANTS_ADD, true, admin::add),
          serve(Addresses.AUTH_TENANTS_REMOVE, true, body -> admin.remove(body.getString("name"))),
          serve(Addresses.AUTH_KEYS_LIST, false, body -> admin.keys(body.getString("tenant"))),
          serve(Addresses.AUTH_KEYS_ADD, true, body -> admin.addKey(body.getString("tenant"), body.getString("key"), body.getString("comment"))),
          serve(Addresses.AUTH_KEYS_REMOVE, true, body -> admin.removeKey(body.getString("tenant"), body.getString("fingerprint"))),
          serve(Addresses.AUTH_REVOKE, true, body -> admin.revoke(body.getString("serial")))));
    });
  }

  /** One admin question: answered off the event loop (files, key generation), in arrival order. */
  @FunctionalInterface
  private interface AdminCall {
    JsonObject answer(JsonObject body) throws Exception;
  }

  private Future<Void> serve(String address, boolean changes, AdminCall call) {
    return vertx.eventBus().<JsonObject>consumer(address, msg -> vertx.executeBlocking(() -> call.answer(msg.body()))
        .onSuccess(answer -> {
          if (changes) {
            changedHere();
          }
          msg.reply(answer);
        })
        .onFailure(err -> {
          if (err instanceof ApiException api) {
            msg.fail(api.status(), api.getMessage());
          } else if (err instanceof IllegalArgumentException || err instanceof ClassCastException) {
            msg.fail(400, "malformed request: " + err.getMessage());
          } else {
            // Never the body: a tenant add's answer holds a private key.
            log.log(System.Logger.Level.ERROR, "admin request on " + address + " failed", err);
            msg.fail(500, "the auth service failed: " + err.getMessage());
          }
        })).completion();
  }

  /**
   * The change went through this verticle's own store, so certificate checks see it already; what is
   * left is to tell the edges (cached identities, open sessions) and this node's state replicator (the
   * other nodes), as {@link #reload()} does for a change made on the file.
   */
  private void changedHere() {
    publishedLoads = store.loads();
    vertx.eventBus().publish(Addresses.AUTH_EVENTS_CHANGED, new JsonObject().put("reason", "changed through the admin API"));
    vertx.eventBus().publish(Addresses.STATE_FILE_WRITTEN, TenantStore.FILE_NAME, new DeliveryOptions().setLocalOnly(true));
  }

  private void reload() {
    vertx.executeBlocking(() -> {
      store.reloadIfChanged();
      return store.loads();
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        log.log(System.Logger.Level.WARNING, "cannot re-read the tenant store: " + ar.cause().getMessage());
      } else if (ar.result() != publishedLoads) {
        // Published whoever re-read the file (this timer, or a certificate check that needed it at once).
        publishedLoads = ar.result();
        vertx.eventBus().publish(Addresses.AUTH_EVENTS_CHANGED, new JsonObject().put("reason", "store changed"));
      }
    });
  }

  private static void identify(Identifier identifier, Message<JsonObject> msg) {
    try {
      msg.reply(identifier.identify(IdentifyRequest.fromJson(msg.body())).toJson());
      outcome("accepted").increment();
    } catch (ApiException e) {
      // 401: not recognised (unknown key, foreign CA, expired, bad signature); 403: revoked or removed.
      outcome(e.status() == 401 ? "unauthenticated" : e.status() == 403 ? "forbidden" : "error").increment();
      msg.fail(e.status(), e.getMessage());
    } catch (RuntimeException e) {
      outcome("malformed").increment();
      msg.fail(400, "malformed identify request");
    }
  }

  /** {@code portcullis_auth_identifications_total{outcome}}: what the auth service answered. */
  private static io.micrometer.core.instrument.Counter outcome(String outcome) {
    return io.micrometer.core.instrument.Counter.builder("portcullis.auth.identifications")
        .description("identity checks answered by the auth service, by outcome").tag("outcome", outcome)
        .register(io.portcullis.contracts.metrics.NodeMetrics.registry());
  }
}
