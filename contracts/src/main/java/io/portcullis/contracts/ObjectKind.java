package io.portcullis.contracts;

import java.util.Locale;

/** The kinds of Docker object the registry knows the host of. */
public enum ObjectKind {
  CONTAINER, EXEC, VOLUME, NETWORK, IMAGE;

  /** The label every object the gateway creates carries, naming its tenant. */
  public static final String OWNER_LABEL = "io.portcullis.tenant";

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ObjectKind fromWire(String s) {
    if (s == null) {
      throw new IllegalArgumentException("an object kind is required");
    }
    return valueOf(s.toUpperCase(Locale.ROOT));
  }

  /**
   * The backend's name for a name the tenant chose: tenant names never contain a dot, so the part
   * before the first dot names the owner without ambiguity.
   */
  public static String backendName(String tenant, String name) {
    return tenant + "." + name;
  }
}
