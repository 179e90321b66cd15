package io.portcullis.registry.placement;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What placement needs to know about one create. A null collection means "none".
 *
 * @param tenant who asks; placement does not filter by it, the pool already says where the tenant may go
 * @param poolLabels the tenant's pool: a host must carry every one of these labels (none = every host)
 * @param constraints the tenant's own constraints, every one of which a host must satisfy
 * @param hostsWithImage hosts that already have the image; preferred when any of them can take the
 *     container, so the create needs no pull (empty = no preference)
 * @param pinnedHosts hosts holding the volumes and networks the container uses: it must go where they
 *     are, and if they are on more than one host it cannot be placed at all
 */
public record PlacementRequest(
    String tenant,
    Map<String, String> poolLabels,
    List<Constraint> constraints,
    Set<String> hostsWithImage,
    Set<String> pinnedHosts) {

  public PlacementRequest {
    Objects.requireNonNull(tenant, "tenant");
    poolLabels = poolLabels == null ? Map.of() : Map.copyOf(poolLabels);
    constraints = constraints == null ? List.of() : List.copyOf(constraints);
    hostsWithImage = hostsWithImage == null ? Set.of() : Set.copyOf(hostsWithImage);
    pinnedHosts = pinnedHosts == null ? Set.of() : Set.copyOf(pinnedHosts);
  }
}
