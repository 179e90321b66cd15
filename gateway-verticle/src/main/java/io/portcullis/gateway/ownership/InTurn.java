package io.portcullis.gateway.ownership;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;

/** Checks run one after the other (each asks a daemon), stopping at the first refusal. */
public final class InTurn {
  private InTurn() {}

  public static <T> Future<Void> each(List<T> items, Function<T, Future<Void>> check) {
    Future<Void> all = Future.succeededFuture();
    for (T item : items) {
      all = all.compose(v -> check.apply(item));
    }
    return all;
  }
}
