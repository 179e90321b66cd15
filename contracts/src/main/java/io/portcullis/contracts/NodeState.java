package io.portcullis.contracts;

/** This node's own state, kept in a local shared map that every verticle of the node can read. */
public final class NodeState {
  private NodeState() {}

  /** The local map's name. */
  public static final String MAP = "portcullis.node";
  /** Set (true) once the node began shutting down: it is no longer ready for traffic. */
  public static final String STOPPING = "stopping";
  /**
   * The grace period (ms, a Long) open sessions get when the node stops: set with {@link #STOPPING}
   * by a drain (SIGTERM); absent, a stop closes at once (a node closed by its embedding program).
   */
  public static final String GRACE_MS = "graceMs";
  /**
   * This node's name for operators (a String): its host name and the port tenants reach it on, e.g.
   * {@code portcullis-0:2376}; set at start by the node, {@code "local"} where nothing set it.
   */
  public static final String NAME = "name";

  /** {@link #NAME} as set in this Vert.x instance, or {@code "local"}. */
  public static String name(io.vertx.core.Vertx vertx) {
    Object name = vertx.sharedData().getLocalMap(MAP).get(NAME);
    return name instanceof String s ? s : "local";
  }

  /**
   * Whether this node runs the service {@code role} ({@code auth}, {@code registry}) itself, by the
   * configuration's {@code node.roles} (absent: every role). A node that does asks only its own: a
   * request sent cluster-wide goes to any member with the address, a member just killed included
   * until the cluster notices, and the call would wait for it.
   */
  public static boolean runsLocally(io.vertx.core.json.JsonObject config, String role) {
    Object roles = config.getJsonObject("node", new io.vertx.core.json.JsonObject()).getValue("roles");
    if (!(roles instanceof io.vertx.core.json.JsonArray list)) {
      return true;
    }
    return list.stream().anyMatch(r -> role.equalsIgnoreCase(String.valueOf(r).trim()));
  }
}
