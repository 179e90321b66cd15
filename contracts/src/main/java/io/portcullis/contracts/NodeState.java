package io.portcullis.contracts;

/** This node's own state, kept in a local shared map that every verticle of the node can read. */
public final class NodeState {
  private NodeState() {}

  /** The local map's name. */
  public static final String MAP = "portcullis.node";
  /** Set (true) once the node began shutting down: it is no longer ready for traffic. */
  public static final String STOPPING = "stopping";
}
