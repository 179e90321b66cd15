package io.portcullis.auth.ca;

import java.util.Locale;

/**
 * What an identity may do. Carried in issued certificates as the subject's organisational unit, so a
 * certificate says by itself whether it is an admin's.
 */
public enum Role {
  TENANT, ADMIN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role parse(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("unknown role " + name + " (tenant or admin)");
    }
  }
}
