package io.portcullis.gateway.hosts;

import io.portcullis.contracts.ObjectKind;
import io.portcullis.gateway.classify.ApiCall;
import io.portcullis.gateway.ownership.TenantNames;
import io.portcullis.gateway.rewrite.RequestTargets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a call goes when the tenant's calls span several hosts, decided from the call alone:
 *
 * <ul>
 *   <li>{@link Kind#SPANS} every host, answers merged (lists, events, info, df, prunes, pulls);</li>
 *   <li>{@link Kind#LOCATE} the host holding the object it names (containers, exec instances,
 *   volumes, networks, images);</li>
 *   <li>{@link Kind#PLACE} a host chosen for the new object (builds, imports);</li>
 *   <li>{@link Kind#PLACE_BY_BODY} likewise, once the body is read (container, volume and network
 *   creates: their name, image, volumes, networks and constraints decide);</li>
 *   <li>{@link Kind#ANY} any host of the tenant's (ping, version, auth, search).</li>
 * </ul>
 */
public record CallPlacement(Kind kind, ObjectKind object, String ref) {
  public enum Kind { SPANS, LOCATE, PLACE, PLACE_BY_BODY, ANY }

  /** Families whose answers are gathered from every host and merged. */
  public static final Set<String> SPANNING = Set.of("containers.list", "volumes.list", "networks.list", "images.list",
      "system.df", "system.info", "system.events", "containers.prune", "volumes.prune", "networks.prune", "images.prune");

  private static final Set<String> UNADDRESSED_CONTAINER_CALLS = Set.of("containers.create", "containers.list", "containers.prune");
  private static final Set<String> EXEC_CALLS = Set.of("exec.start", "exec.resize", "exec.inspect");
  private static final Set<String> VOLUME_CALLS = Set.of("volumes.inspect", "volumes.update", "volumes.remove");
  private static final Set<String> NETWORK_CALLS = Set.of("networks.inspect", "networks.remove", "networks.connect", "networks.disconnect");
  private static final Set<String> IMAGE_CALLS = Set.of("images.inspect", "images.history", "images.tag", "images.remove");

  public static CallPlacement of(ApiCall call, String target) {
    String family = call.family();
    String ref = call.objectId();
    if (SPANNING.contains(family)) {
      return new CallPlacement(Kind.SPANS, null, null);
    }
    if (family.equals("images.pull")) {
      // POST /images/create pulls (to every host) unless it imports a tarball or a URL (to one).
      Map<String, List<String>> params = RequestTargets.parameters(target);
      return RequestTargets.first(params, "fromSrc").isEmpty()
          ? new CallPlacement(Kind.SPANS, null, null) : new CallPlacement(Kind.PLACE, ObjectKind.IMAGE, null);
    }
    if (family.equals("containers.create")) {
      return new CallPlacement(Kind.PLACE_BY_BODY, ObjectKind.CONTAINER, null);
    }
    // Their bodies name them, and a name the tenant already uses on some host decides the host.
    if (family.equals("volumes.create")) {
      return new CallPlacement(Kind.PLACE_BY_BODY, ObjectKind.VOLUME, null);
    }
    if (family.equals("networks.create")) {
      return new CallPlacement(Kind.PLACE_BY_BODY, ObjectKind.NETWORK, null);
    }
    if (family.equals("images.build")) {
      return new CallPlacement(Kind.PLACE, ObjectKind.IMAGE, null);
    }
    if (family.equals("images.commit")) {
      return locate(ObjectKind.CONTAINER, RequestTargets.first(RequestTargets.parameters(target), "container"));
    }
    if (ref == null) {
      if (family.equals("images.save")) {
        List<String> names = RequestTargets.parameters(target).getOrDefault("names", List.of());
        return names.isEmpty() ? new CallPlacement(Kind.ANY, null, null) : locate(ObjectKind.IMAGE, names.get(0));
      }
      return new CallPlacement(Kind.ANY, null, null);
    }
    if ((family.startsWith("containers.") && !UNADDRESSED_CONTAINER_CALLS.contains(family)) || family.equals("exec.create")) {
      return locate(ObjectKind.CONTAINER, ref);
    }
    if (EXEC_CALLS.contains(family)) {
      return locate(ObjectKind.EXEC, ref);
    }
    if (VOLUME_CALLS.contains(family)) {
      return locate(ObjectKind.VOLUME, ref);
    }
    if (NETWORK_CALLS.contains(family)) {
      // The daemon's own networks are on every host.
      return TenantNames.BUILTIN_NETWORKS.contains(ref) ? new CallPlacement(Kind.ANY, null, null) : locate(ObjectKind.NETWORK, ref);
    }
    if (family.equals("images.push")) {
      String tag = RequestTargets.first(RequestTargets.parameters(target), "tag");
      return locate(ObjectKind.IMAGE, tag.isEmpty() ? ref : ref + ":" + tag);
    }
    if (IMAGE_CALLS.contains(family) || family.equals("images.save")) {
      return locate(ObjectKind.IMAGE, ref);
    }
    return new CallPlacement(Kind.ANY, null, null);
  }

  private static CallPlacement locate(ObjectKind kind, String ref) {
    return new CallPlacement(Kind.LOCATE, kind, ref);
  }
}
