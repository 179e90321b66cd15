package io.portcullis.contracts;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A Docker host behind the gateway. {@code uri} is {@code unix:///path/docker.sock} or
 * {@code tcp://host:port}; {@code state} is the registry's latest health verdict; {@code labels} place
 * it in tenants' pools and constraints; {@code capacity} is the most containers placed on it (0: no
 * limit); a {@code draining} host takes no new placements while its objects keep working; {@code tls}
 * (null for none) is how a {@code tcp://} daemon started with {@code --tlsverify} is reached.
 */
public record BackendHost(String name, String uri, HostState state, Map<String, String> labels, int capacity, boolean draining,
    BackendTls tls) {

  public enum HostState {
    UNKNOWN, UP, DOWN;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static HostState fromWire(String s) {
      return s == null ? UNKNOWN : valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  public BackendHost {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uri, "uri");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("backend host name " + name + " must be 1-63 characters of A-Z, a-z, 0-9, '_', '.', '-'");
    }
    state = state == null ? HostState.UNKNOWN : state;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    if (capacity < 0) {
      throw new IllegalArgumentException("backend host capacity must be 0 (no limit) or more: " + capacity);
    }
    validateUri(uri);
    if (tls != null && !uri.startsWith("tcp://")) {
      throw new IllegalArgumentException("backend host " + name + ": TLS material is for tcp:// hosts only");
    }
  }

  public BackendHost(String name, String uri, HostState state, Map<String, String> labels, int capacity, boolean draining) {
    this(name, uri, state, labels, capacity, draining, null);
  }

  public BackendHost(String name, String uri, HostState state) {
    this(name, uri, state, Map.of(), 0, false);
  }

  public BackendHost withTls(BackendTls newTls) {
    return new BackendHost(name, uri, state, labels, capacity, draining, newTls);
  }

  public static BackendHost of(String name, String uri) {
    return new BackendHost(name, uri, HostState.UNKNOWN);
  }

  public BackendHost withState(HostState newState) {
    return new BackendHost(name, uri, newState, labels, capacity, draining, tls);
  }

  public BackendHost withDraining(boolean drain) {
    return new BackendHost(name, uri, state, labels, capacity, drain, tls);
  }

  /** Whether new objects may be placed here: answering and not draining. */
  public boolean placeable() {
    return state == HostState.UP && !draining;
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

  /** Where to connect: the unix socket, or the TCP address. */
  public SocketAddress address() {
    return isUnixSocket() ? SocketAddress.domainSocketAddress(socketPath()) : SocketAddress.inetSocketAddress(tcpPort(), tcpHost());
  }

  /** A GET of {@code path} on this host's daemon, over TLS when the host has TLS material. */
  public RequestOptions requestOptions(String path) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setURI(path)
        .setServer(address())
        .setHost(isUnixSocket() ? "docker" : tcpHost())
        .setPort(isUnixSocket() ? 80 : tcpPort());
    if (tls != null) {
      options.setSsl(true).setSslOptions(tls.sslOptions());
    }
    return options;
  }

  public JsonObject toJson() {
    JsonObject l = new JsonObject();
    labels.forEach(l::put);
    JsonObject json = new JsonObject().put("name", name).put("uri", uri).put("state", state.wireName())
        .put("labels", l).put("capacity", capacity).put("draining", draining);
    return tls == null ? json : json.put("tls", tls.toJson());
  }

  /** Reads a host; {@code labels}, {@code capacity} and {@code draining} may be left out. */
  public static BackendHost fromJson(JsonObject json) {
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    Object l = json.getValue("labels");
    if (l instanceof JsonObject o) {
      o.forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
    } else if (l != null) {
      throw new IllegalArgumentException("backend host labels must be an object of strings");
    }
    Object capacity = json.getValue("capacity", 0);
    if (!(capacity instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue())) {
      throw new IllegalArgumentException("backend host capacity must be a whole number: " + capacity);
    }
    Object draining = json.getValue("draining", false);
    if (!(draining instanceof Boolean)) {
      throw new IllegalArgumentException("backend host draining must be true or false: " + draining);
    }
    Object tls = json.getValue("tls");
    if (tls != null && !(tls instanceof JsonObject)) {
      throw new IllegalArgumentException("backend host tls must be an object {\"ca\", \"cert\", \"key\"} of PEM text");
    }
    return new BackendHost(json.getString("name"), json.getString("uri"), HostState.fromWire(json.getString("state")),
        labels, n(capacity), (Boolean) draining, tls == null ? null : BackendTls.fromJson((JsonObject) tls));
  }

  private static int n(Object capacity) {
    return ((Number) capacity).intValue();
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
