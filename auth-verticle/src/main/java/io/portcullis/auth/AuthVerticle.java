package io.portcullis.auth;

import io.portcullis.contracts.Addresses;
import io.portcullis.contracts.ApiException;
import io.portcullis.contracts.IdentifyRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/** Wires the {@link Identifier} to {@link Addresses#AUTH_IDENTIFY}. */
public final class AuthVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    Identifier identifier = new Identifier(AuthConfig.fromJson(config().getJsonObject("auth", new JsonObject())));
    return vertx.eventBus().<JsonObject>consumer(Addresses.AUTH_IDENTIFY, msg -> identify(identifier, msg)).completion();
  }

  private static void identify(Identifier identifier, Message<JsonObject> msg) {
    try {
      msg.reply(identifier.identify(IdentifyRequest.fromJson(msg.body())).toJson());
    } catch (ApiException e) {
      msg.fail(e.status(), e.getMessage());
    } catch (RuntimeException e) {
      msg.fail(400, "malformed identify request");
    }
  }
}
