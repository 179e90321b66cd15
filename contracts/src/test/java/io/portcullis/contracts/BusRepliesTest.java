package io.portcullis.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class BusRepliesTest {

  @Test
  void noHandlers_isA503SayingTheServiceIsNotRunning() {
    ApiException e = BusReplies.toApiException(
        new ReplyException(ReplyFailure.NO_HANDLERS, "No handlers for address portcullis.auth.identify"), "auth");

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.getMessage()).isEqualTo("auth service is not running");
  }

  @Test
  void timeout_isA503SayingTheServiceDidNotAnswer() {
    ApiException e = BusReplies.toApiException(new ReplyException(ReplyFailure.TIMEOUT, "Timed out after waiting 100(ms)"), "registry");

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.getMessage()).isEqualTo("registry service did not answer in time");
  }

  @ParameterizedTest(name = "recipient failure {0} -> {1}")
  @CsvSource({
      "400, 400",
      "401, 401",
      "403, 403",
      "404, 404",
      "503, 503",
      "599, 599",
      "399, 500",
      "200, 500",
      "600, 500",
      "0,   500",
      "-1,  500",
  })
  void recipientFailure_keepsAnHttpErrorCodeAndItsMessage(int code, int expectedStatus) {
    ApiException e = BusReplies.toApiException(
        new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, "tenant may not do that"), "auth");

    assertThat(e.status()).isEqualTo(expectedStatus);
    assertThat(e.getMessage()).isEqualTo("tenant may not do that");
  }

  @Test
  void apiException_passesThroughUnchanged() {
    ApiException original = ApiException.forbidden("no");

    assertThat(BusReplies.toApiException(original, "auth")).isSameAs(original);
  }

  @Test
  void anyOtherError_isA500NamingTheService() {
    ApiException e = BusReplies.toApiException(new IllegalStateException("boom"), "registry");

    assertThat(e.status()).isEqualTo(500);
    assertThat(e.getMessage()).isEqualTo("registry service failed");
  }

  @Test
  void mapFailure_leavesASuccessAlone(VertxTestContext ctx) {
    BusReplies.mapFailure(Future.succeededFuture("fine"), "auth")
        .onComplete(ctx.succeeding(value -> ctx.verify(() -> {
          assertThat(value).isEqualTo("fine");
          ctx.completeNow();
        })));
  }

  @Test
  void requestToAnAddressNobodyListensOn_failsWith503(Vertx vertx, VertxTestContext ctx) {
    BusReplies.mapFailure(vertx.eventBus().request("portcullis.test.nobody", "ping"), "auth")
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(err).isInstanceOf(ApiException.class).hasMessage("auth service is not running");
          assertThat(((ApiException) err).status()).isEqualTo(503);
          ctx.completeNow();
        })));
  }

  @Test
  void silentService_failsWith503AfterTheSendTimeout(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().consumer("portcullis.test.silent", msg -> { /* never replies */ }).completion()
        .compose(v -> BusReplies.mapFailure(
            vertx.eventBus().request("portcullis.test.silent", "ping", new DeliveryOptions().setSendTimeout(200)), "registry"))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(err).isInstanceOf(ApiException.class).hasMessage("registry service did not answer in time");
          assertThat(((ApiException) err).status()).isEqualTo(503);
          ctx.completeNow();
        })));
  }

  @Test
  void serviceFailingWithAStatus_keepsThatStatusAcrossTheBus(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().consumer("portcullis.test.refusing", msg -> msg.fail(403, "tenant may not do that")).completion()
        .compose(v -> BusReplies.mapFailure(vertx.eventBus().request("portcullis.test.refusing", "ping"), "auth"))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(err).isInstanceOf(ApiException.class).hasMessage("tenant may not do that");
          assertThat(((ApiException) err).status()).isEqualTo(403);
          ctx.completeNow();
        })));
  }
}
