package io.portcullis.gateway.classify;

import static io.portcullis.gateway.classify.StreamMode.HIJACK;
import static io.portcullis.gateway.classify.StreamMode.PLAIN;
import static io.portcullis.gateway.classify.StreamMode.STREAMING;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Docker Engine API, one line per call: method, path pattern (after the version prefix), family and
 * stream mode. Patterns are compiled once. {@code {id}} captures the addressed object; names of images
 * may contain slashes, so image calls capture the rest of the path.
 */
final class EndpointTable {

  /** One call: {@code capturesObject} says whether group 1 of the pattern is the addressed object. */
  record Entry(Set<String> methods, Pattern pattern, String family, StreamMode mode, boolean capturesObject) {}

  private static final String ID = "([^/]+)";
  private static final String IMAGE = "(.+)";

  static final List<Entry> ENTRIES = List.of(
      // system
      e("GET", "/_ping", "system.ping", PLAIN),
      e("HEAD", "/_ping", "system.ping", PLAIN),
      e("GET", "/version", "system.version", PLAIN),
      e("GET", "/info", "system.info", PLAIN),
      e("GET", "/events", "system.events", STREAMING),
      e("GET", "/system/df", "system.df", PLAIN),
      e("POST", "/auth", "system.auth", PLAIN),
      // containers
      e("GET", "/containers/json", "containers.list", PLAIN),
      e("POST", "/containers/create", "containers.create", PLAIN),
      e("POST", "/containers/prune", "containers.prune", PLAIN),
      e("GET", "/containers/" + ID + "/json", "containers.inspect", PLAIN),
      e("GET", "/containers/" + ID + "/top", "containers.top", PLAIN),
      e("GET", "/containers/" + ID + "/logs", "containers.logs", STREAMING),
      e("GET", "/containers/" + ID + "/changes", "containers.changes", PLAIN),
      e("GET", "/containers/" + ID + "/export", "containers.export", PLAIN),
      e("GET", "/containers/" + ID + "/stats", "containers.stats", STREAMING),
      e("POST", "/containers/" + ID + "/resize", "containers.resize", PLAIN),
      e("POST", "/containers/" + ID + "/start", "containers.start", PLAIN),
      e("POST", "/containers/" + ID + "/stop", "containers.stop", PLAIN),
      e("POST", "/containers/" + ID + "/restart", "containers.restart", PLAIN),
      e("POST", "/containers/" + ID + "/kill", "containers.kill", PLAIN),
      e("POST", "/containers/" + ID + "/update", "containers.update", PLAIN),
      e("POST", "/containers/" + ID + "/rename", "containers.rename", PLAIN),
      e("POST", "/containers/" + ID + "/pause", "containers.pause", PLAIN),
      e("POST", "/containers/" + ID + "/unpause", "containers.unpause", PLAIN),
      e("POST", "/containers/" + ID + "/attach", "containers.attach", HIJACK),
      e("GET", "/containers/" + ID + "/attach/ws", "containers.attach", HIJACK),
      e("POST", "/containers/" + ID + "/wait", "containers.wait", STREAMING),
      e("DELETE", "/containers/" + ID, "containers.remove", PLAIN),
      e("HEAD", "/containers/" + ID + "/archive", "containers.archive", PLAIN),
      e("GET", "/containers/" + ID + "/archive", "containers.archive", PLAIN),
      e("PUT", "/containers/" + ID + "/archive", "containers.archive", PLAIN),
      e("POST", "/containers/" + ID + "/exec", "exec.create", PLAIN),
      // exec
      e("POST", "/exec/" + ID + "/start", "exec.start", HIJACK),
      e("POST", "/exec/" + ID + "/resize", "exec.resize", PLAIN),
      e("GET", "/exec/" + ID + "/json", "exec.inspect", PLAIN),
      // images
      e("GET", "/images/json", "images.list", PLAIN),
      e("POST", "/build", "images.build", STREAMING),
      e("POST", "/build/prune", "images.build-prune", PLAIN),
      e("POST", "/build/cancel", "images.build-cancel", PLAIN),
      e("POST", "/images/create", "images.pull", STREAMING),
      e("POST", "/images/load", "images.load", STREAMING),
      e("GET", "/images/get", "images.save", PLAIN),
      e("GET", "/images/search", "images.search", PLAIN),
      e("POST", "/images/prune", "images.prune", PLAIN),
      e("POST", "/commit", "images.commit", PLAIN),
      e("GET", "/images/" + IMAGE + "/json", "images.inspect", PLAIN),
      e("GET", "/images/" + IMAGE + "/history", "images.history", PLAIN),
      e("GET", "/images/" + IMAGE + "/get", "images.save", PLAIN),
      e("POST", "/images/" + IMAGE + "/push", "images.push", STREAMING),
      e("POST", "/images/" + IMAGE + "/tag", "images.tag", PLAIN),
      e("DELETE", "/images/" + IMAGE, "images.remove", PLAIN),
      e("GET", "/distribution/" + IMAGE + "/json", "images.distribution", PLAIN),
      // volumes
      e("GET", "/volumes", "volumes.list", PLAIN),
      e("POST", "/volumes/create", "volumes.create", PLAIN),
      e("POST", "/volumes/prune", "volumes.prune", PLAIN),
      e("GET", "/volumes/" + ID, "volumes.inspect", PLAIN),
      e("PUT", "/volumes/" + ID, "volumes.update", PLAIN),
      e("DELETE", "/volumes/" + ID, "volumes.remove", PLAIN),
      // networks
      e("GET", "/networks", "networks.list", PLAIN),
      e("POST", "/networks/create", "networks.create", PLAIN),
      e("POST", "/networks/prune", "networks.prune", PLAIN),
      e("GET", "/networks/" + ID, "networks.inspect", PLAIN),
      e("DELETE", "/networks/" + ID, "networks.remove", PLAIN),
      e("POST", "/networks/" + ID + "/connect", "networks.connect", PLAIN),
      e("POST", "/networks/" + ID + "/disconnect", "networks.disconnect", PLAIN),
      // BuildKit
      e("POST", "/session", "buildkit.session", HIJACK),
      e("POST", "/grpc", "buildkit.grpc", HIJACK),
      // plugins
      e("GET", "/plugins", "plugins.list", PLAIN),
      e("GET", "/plugins/privileges", "plugins.privileges", PLAIN),
      e("POST", "/plugins/pull", "plugins.pull", STREAMING),
      e("POST", "/plugins/create", "plugins.create", PLAIN),
      e("GET", "/plugins/" + IMAGE + "/json", "plugins.inspect", PLAIN),
      e("DELETE", "/plugins/" + IMAGE, "plugins.remove", PLAIN),
      e("POST", "/plugins/" + IMAGE + "/(enable|disable|upgrade|push|set)", "plugins.manage", PLAIN),
      // swarm
      e("GET", "/swarm", "swarm.inspect", PLAIN),
      e("POST", "/swarm/(init|join|leave|update|unlock)", "swarm.manage", PLAIN),
      e("GET", "/swarm/unlockkey", "swarm.unlockkey", PLAIN),
      e("GET", "/(nodes|services|tasks|secrets|configs)(/.*)?", "swarm.read", PLAIN),
      e("POST|DELETE", "/(nodes|services|tasks|secrets|configs)(/.*)?", "swarm.write", PLAIN));

  private static Entry e(String methods, String pattern, String family, StreamMode mode) {
    boolean capturesObject = pattern.contains(ID) || pattern.contains(IMAGE);
    return new Entry(Set.of(methods.split("\\|")), Pattern.compile(pattern), family, mode, capturesObject);
  }

  private EndpointTable() {}
}
