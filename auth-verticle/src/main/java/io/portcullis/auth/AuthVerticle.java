package io.portcullis.auth;

import io.portcullis.auth.ca.CertificateAuthority;
import io.portcullis.auth.store.TenantStore;
import io.portcullis.contracts.Addresses;
import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.IdentifyRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * Wires the {@link Identifier} to {@link Addresses#AUTH_IDENTIFY}. The CA and the tenant store are read
 * from the state directory at start; the store is re-read on a timer so that changes made with the
 * command line (a tenant removed, a certificate revoked) apply to new requests within a second, and
 * {@link Addresses#AUTH_EVENTS_CHANGED} is published when they do.
 */
public final class AuthVerticle extends VerticleBase {
  private static final System.Logger log = System.getLogger(AuthVerticle.class.getName());

  private TenantStore store;
  /** The store's load count when a change was last published. */
  private long publishedLoads;

  @Override
  public Future<?> start() {
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
      return vertx.eventBus().<JsonObject>consumer(Addresses.AUTH_IDENTIFY, msg -> identify(identifier, msg)).completion();
    });
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
