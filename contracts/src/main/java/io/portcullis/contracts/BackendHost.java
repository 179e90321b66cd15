package io.portcullis.contracts;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * A Docker host behind the gateway. {@code uri} is {@code unix:///path/docker.sock} or
 * {@code tcp://host:port}; {@code state} is the registry's latest health verdict.
 */
public record BackendHost(String name, String uri, HostState state) {

  public enum HostState {
    UNKNOWN, UP, DOWN;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static HostState fromWire(String s) {
      return s == null ? UNKNOWN : valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  public BackendHost {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uri, "uri");
    state = state == null ? HostState.UNKNOWN : state;
    validateUri(uri);
  }

  public static BackendHost of(String name, String uri) {
    return new BackendHost(name, uri, HostState.UNKNOWN);
  }

  public BackendHost withState(HostState newState) {
    return new BackendHost(name, uri, newState);
  }

  public boolean isUnixSocket() {
    return uri.startsWith("unix://");
  }

  /** Path of the unix socket; only for {@link #isUnixSocket()} hosts. */
  public String socketPath() {
    return uri.substring("unix://".length());
  }

  public String tcpHost() {
    return URI.create(uri).getHost();
  }

  public int tcpPort() {
    int port = URI.create(uri).getPort();
    return port < 0 ? 2375 : port;
  }

  /** What to send as {@code Host}: dockerd answers 400 to a request without one, even on a unix socket. */
  public String hostHeader() {
    return isUnixSocket() ? "docker" : tcpHost() + ":" + tcpPort();
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("uri", uri).put("state", state.wireName());
  }

  public static BackendHost fromJson(JsonObject json) {
    return new BackendHost(json.getString("name"), json.getString("uri"), HostState.fromWire(json.getString("state")));
  }

  /** Fails with a message naming what is wrong, so a bad registration is refused at the door. */
  public static void validateUri(String uri) {
    if (uri.startsWith("unix://")) {
      if (uri.length() <= "unix://".length() || !uri.startsWith("unix:///")) {
        throw new IllegalArgumentException("backend uri " + uri + " must name an absolute socket path, like unix:///var/run/docker.sock");
      }
      return;
    }
    if (uri.startsWith("tcp://")) {
      URI parsed;
      try {
        parsed = URI.create(uri);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("backend uri " + uri + " is not a valid tcp://host:port address");
      }
      if (parsed.getHost() == null) {
        throw new IllegalArgumentException("backend uri " + uri + " is not a valid tcp://host:port address");
      }
      return;
    }
    throw new IllegalArgumentException("backend uri " + uri + " must start with unix:// or tcp://");
  }
}
