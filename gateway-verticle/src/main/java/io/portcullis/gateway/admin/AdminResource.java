package io.portcullis.gateway.admin;

import io.portcullis.contracts.ApiException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * One family of {@code /admin} resources ({@code hosts}, {@code tenants}, ...). {@link AdminVerticle}
 * identifies the caller, reads the JSON body and hands the request to the one family that
 * {@linkplain #handles handles} its path; a refusal is an {@link ApiException}, answered in Docker's
 * error shape.
 */
interface AdminResource {
  boolean handles(String path);

  Future<JsonObject> handle(HttpMethod method, String path, JsonObject body);

  static Future<JsonObject> notAllowed(String use) {
    return Future.failedFuture(new ApiException(405, use));
  }

  /** A string field of a request body, {@code fallback} when absent; 400 when it is not a string. */
  static String text(JsonObject body, String field, String fallback) {
    Object value = body.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s)) {
      throw ApiException.badRequest("\"" + field + "\" must be a string");
    }
    return s;
  }
}
