package io.portcullis.contracts;

import io.vertx.core.json.JsonObject;
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
    return TcpAddress.parse(uri).host();
  }

  public int tcpPort() {
    return TcpAddress.parse(uri).port();
  }

  /** What to send as {@code Host}: dockerd answers 400 to a request without one, even on a unix socket. */
  public String hostHeader() {
    if (isUnixSocket()) {
      return "docker";
    }
    String host = tcpHost();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + tcpPort();
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("uri", uri).put("state", state.wireName());
  }

  public static BackendHost fromJson(JsonObject json) {
    return new BackendHost(json.getString("name"), json.getString("uri"), HostState.fromWire(json.getString("state")));
  }

  /**
   * {@code tcp://host[:port][/]}, parsed by hand: {@code java.net.URI} refuses host names with an
   * underscore ({@code docker_dind}), which the docker CLI and compose service names allow.
   */
  record TcpAddress(String host, int port) {
    private static final java.util.regex.Pattern FORM =
        java.util.regex.Pattern.compile("tcp://(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)(?::(\\d{1,5}))?/?");

    static TcpAddress parse(String uri) {
      java.util.regex.Matcher m = FORM.matcher(uri);
      if (!m.matches()) {
        throw new IllegalArgumentException("backend uri " + uri + " is not a valid tcp://host:port address");
      }
      String host = m.group(1);
      if (host.startsWith("[")) {
        host = host.substring(1, host.length() - 1);
      }
      int port = m.group(2) == null ? 2375 : Integer.parseInt(m.group(2));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("backend uri " + uri + " has a port out of range");
      }
      return new TcpAddress(host, port);
    }
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
      TcpAddress.parse(uri);
      return;
    }
    throw new IllegalArgumentException("backend uri " + uri + " must start with unix:// or tcp://");
  }
}
