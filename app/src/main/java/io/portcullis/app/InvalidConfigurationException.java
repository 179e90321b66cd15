package io.portcullis.app;

/**
 * A configuration the node refuses to start with. Its message is the one line Main prints after
 * {@code portcullis: }, so it reads {@code invalid configuration: KEY must be ..., got VALUE}.
 */
final class InvalidConfigurationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  InvalidConfigurationException(String detail) {
    super("invalid configuration: " + detail);
  }
}
