package io.portcullis.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.contracts.Addresses;
import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.BackendHost;
import io.portcullis.contracts.RegistryClient;
import io.portcullis.contracts.Route;
import io.portcullis.contracts.RouteRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * RouteCache over a real RegistryClient and a real event bus. The consumer on the route address stands
 * in for the registry verticle: it counts requests and can be told to fail the next ones.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class RouteCacheTest {
  private static final long TTL_MS = 1_000;

  private final AtomicLong now = new AtomicLong(50_000);
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger failNext = new AtomicInteger();
  private final List<RouteRequest> seen = new CopyOnWriteArrayList<>();
  private RegistryClient registry;

  @BeforeEach
  void startFakeRegistry(Vertx vertx, VertxTestContext ctx) {
    registry = new RegistryClient(vertx, 2_000);
    vertx.eventBus().<JsonObject>consumer(Addresses.REGISTRY_ROUTE, msg -> {
      int n = requests.incrementAndGet();
      RouteRequest request = RouteRequest.fromJson(msg.body());
      seen.add(request);
      if (failNext.getAndUpdate(f -> Math.max(0, f - 1)) > 0) {
        msg.fail(503, "no backend Docker host is registered with the gateway");
        return;
      }
      BackendHost host = BackendHost.of(request.tenant() + "-" + n, "tcp://127.0.0.1:" + (2375 + n));
      msg.reply(new Route(host).toJson());
    }).completion().onComplete(ctx.succeedingThenComplete());
  }

  private RouteCache cache(long ttlMs) {
    return new RouteCache(registry, ttlMs, now::get);
  }

  @Test
  void secondLookupWithinTtl_isServedFromCache(VertxTestContext ctx) {
    RouteCache cache = cache(TTL_MS);

    cache.route("alice", "containers.list")
        .compose(first -> {
          now.addAndGet(TTL_MS - 1);
          return cache.route("alice", "containers.inspect").map(second -> List.of(first, second));
        })
        .onComplete(ctx.succeeding(routes -> ctx.verify(() -> {
          assertThat(requests.get()).isEqualTo(1);
          assertThat(routes.get(1)).isEqualTo(routes.get(0));
          assertThat(routes.get(0).host().name()).isEqualTo("alice-1");
          assertThat(seen).containsExactly(new RouteRequest("alice", "containers.list"));
          ctx.completeNow();
        })));
  }

  @Test
  void lookupAtTtl_asksTheRegistryAgain(VertxTestContext ctx) {
    RouteCache cache = cache(TTL_MS);

    cache.route("alice", "containers.list")
        .compose(first -> {
          now.addAndGet(TTL_MS);
          return cache.route("alice", "containers.list");
        })
        .compose(refreshed -> {
          now.addAndGet(1);
          return cache.route("alice", "containers.list").map(cached -> List.of(refreshed, cached));
        })
        .onComplete(ctx.succeeding(routes -> ctx.verify(() -> {
          assertThat(requests.get()).isEqualTo(2);
          assertThat(routes.get(0).host().name()).isEqualTo("alice-2");
          assertThat(routes.get(1).host().name()).isEqualTo("alice-2");
          ctx.completeNow();
        })));
  }

  @Test
  void concurrentLookupsWithinTtl_shareOneRegistryRequest(VertxTestContext ctx) {
    RouteCache cache = cache(TTL_MS);

    Future<Route> first = cache.route("alice", "containers.attach");
    Future<Route> second = cache.route("alice", "exec.start");

    assertThat(second).isSameAs(first);
    Future.all(first, second).onComplete(ctx.succeeding(done -> ctx.verify(() -> {
      assertThat(requests.get()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void tenants_areCachedSeparately(VertxTestContext ctx) {
    RouteCache cache = cache(TTL_MS);

    cache.route("alice", "containers.list")
        .compose(alice -> cache.route("bob", "containers.list").map(bob -> List.of(alice, bob)))
        .compose(both -> cache.route("alice", "containers.list").map(aliceAgain -> List.of(both.get(0), both.get(1), aliceAgain)))
        .onComplete(ctx.succeeding(routes -> ctx.verify(() -> {
          assertThat(requests.get()).isEqualTo(2);
          assertThat(routes.get(0).host().name()).isEqualTo("alice-1");
          assertThat(routes.get(1).host().name()).isEqualTo("bob-2");
          assertThat(routes.get(2).host().name()).isEqualTo("alice-1");
          ctx.completeNow();
        })));
  }

  @Test
  void invalidate_dropsEveryCachedRoute(VertxTestContext ctx) {
    RouteCache cache = cache(TTL_MS);

    cache.route("alice", "containers.list")
        .compose(first -> cache.route("bob", "containers.list"))
        .compose(second -> {
          cache.invalidate();
          return cache.route("alice", "containers.list")
              .compose(alice -> cache.route("bob", "containers.list").map(bob -> List.of(alice, bob)));
        })
        .onComplete(ctx.succeeding(routes -> ctx.verify(() -> {
          assertThat(requests.get()).isEqualTo(4);
          assertThat(routes.get(0).host().name()).isEqualTo("alice-3");
          assertThat(routes.get(1).host().name()).isEqualTo("bob-4");
          ctx.completeNow();
        })));
  }

  @Test
  void failedLookup_isNotCached(VertxTestContext ctx) {
    RouteCache cache = cache(TTL_MS);
    failNext.set(1);

    cache.route("alice", "containers.list")
        .transform(failed -> {
          ctx.verify(() -> {
            assertThat(failed.failed()).isTrue();
            assertThat(failed.cause()).isInstanceOf(ApiException.class);
            assertThat(((ApiException) failed.cause()).status()).isEqualTo(503);
          });
          // same instant, well within the TTL
          return cache.route("alice", "containers.list");
        })
        .onComplete(ctx.succeeding(route -> ctx.verify(() -> {
          assertThat(requests.get()).isEqualTo(2);
          assertThat(route.host().name()).isEqualTo("alice-2");
          ctx.completeNow();
        })));
  }

  @Test
  void zeroTtl_asksTheRegistryEveryTime(VertxTestContext ctx) {
    RouteCache cache = cache(0);

    cache.route("alice", "containers.list")
        .compose(first -> cache.route("alice", "containers.list"))
        .compose(second -> cache.route("alice", "containers.list"))
        .onComplete(ctx.succeeding(third -> ctx.verify(() -> {
          assertThat(requests.get()).isEqualTo(3);
          assertThat(third.host().name()).isEqualTo("alice-3");
          ctx.completeNow();
        })));
  }

  @Test
  void registryNotRunning_failsWith503_andIsAskedAgainOnceItRuns(VertxTestContext ctx) {
    Vertx empty = Vertx.vertx(); // an event bus with no registry consumer at all
    RouteCache cache = new RouteCache(new RegistryClient(empty, 2_000), TTL_MS, now::get);

    cache.route("alice", "containers.list")
        .transform(first -> {
          ctx.verify(() -> {
            assertThat(first.failed()).isTrue();
            assertThat(first.cause()).isInstanceOf(ApiException.class).hasMessageContaining("not running");
            assertThat(((ApiException) first.cause()).status()).isEqualTo(503);
          });
          return empty.eventBus().<JsonObject>consumer(Addresses.REGISTRY_ROUTE,
                  msg -> msg.reply(new Route(BackendHost.of("late", "unix:///var/run/docker.sock")).toJson()))
              .completion();
        })
        .compose(registered -> cache.route("alice", "containers.list"))
        .onComplete(second -> empty.close().onComplete(closed -> {
          if (second.failed()) {
            ctx.failNow(second.cause());
            return;
          }
          ctx.verify(() -> assertThat(second.result().host().name()).isEqualTo("late"));
          ctx.completeNow();
        }));
  }
}
