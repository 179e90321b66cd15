package io.portcullis.gateway.ownership;

import java.util.Set;

/**
 * Per-tenant names: two tenants may each call a container, volume or network {@code web} on the same
 * backend, because the backend knows them as {@code alice.web} and {@code bob.web}. Tenant names never
 * contain a dot, so the part before the first dot names the owner without ambiguity.
 *
 * <p>Names the daemon generated itself (a container created without a name, an anonymous volume) carry
 * no prefix; they are unique on the host already, so they are shown and resolved as they are, and the
 * owner label still decides who may touch them.
 */
public final class TenantNames {
  /** Networks every daemon has; they are addressed by these names and never renamed. */
  public static final Set<String> BUILTIN_NETWORKS = Set.of("bridge", "host", "none", "default");

  private final String prefix;

  public TenantNames(String tenant) {
    this.prefix = tenant + ".";
  }

  /** The backend name for a name the tenant chose. */
  public String toBackend(String name) {
    return prefix + name;
  }

  /** Whether a backend name is in this tenant's namespace. */
  public boolean isTenants(String backendName) {
    return backendName != null && backendName.startsWith(prefix) && backendName.length() > prefix.length();
  }

  /** The name the tenant sees for a backend name: its own prefix removed, anything else as it is. */
  public String fromBackend(String backendName) {
    if (backendName == null) {
      return null;
    }
    if (backendName.startsWith("/" + prefix)) {
      return "/" + backendName.substring(prefix.length() + 1);
    }
    return backendName.startsWith(prefix) ? backendName.substring(prefix.length()) : backendName;
  }

  /**
   * A daemon's message in the tenant's words: its names without the tenant prefix ({@code Conflict. The
   * container name "/alice.web" is already in use} becomes {@code "/web"}). Only the tenant's own names
   * can appear in answers to its calls, so only its prefix is removed.
   */
  public String fromBackendText(String text) {
    if (text == null || !text.contains(prefix)) {
      return text;
    }
    return text.replaceAll("(^|[\\s\"'/(:\\[])" + java.util.regex.Pattern.quote(prefix), "$1");
  }

  /** The backend name of a network the tenant chose, leaving the daemon's own networks alone. */
  public String networkToBackend(String name) {
    return name == null || name.isEmpty() || BUILTIN_NETWORKS.contains(name) || name.startsWith("container:")
        ? name : toBackend(name);
  }
}
