package io.portcullis.gateway.fuzz;

/**
 * The seed of every fuzz property, so that CI runs the same inputs each time and a failure is
 * reproducible. New inputs come from more tries ({@code -Djqwik.tries.default=100000}); a failing input
 * found that way is kept as an {@code @Example} beside its property.
 */
final class FuzzSeeds {
  static final String SEED = "20250601";

  private FuzzSeeds() {}
}
