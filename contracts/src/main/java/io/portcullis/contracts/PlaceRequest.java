package io.portcullis.contracts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Where should the tenant's new object go?
 *
 * @param kind what is created (a container, a volume, a network, or an image by build or import)
 * @param image the image a container is created from ("" for none): hosts that have it are preferred
 * @param constraints placement constraints the tenant gave ({@code node.labels.disk==ssd}, ...)
 * @param volumes backend names of the named volumes a container mounts: it goes where they are
 * @param networks backend names of the networks a container joins: it goes where they are
 * @param name the name the tenant gives the new object ("" for none): if the tenant already has an
 *     object of that kind and name on some host, the create goes there, and that daemon answers as it
 *     would (a conflict for a container or network, the existing volume for a volume)
 */
public record PlaceRequest(String tenant, ObjectKind kind, String image, List<String> constraints,
    List<String> volumes, List<String> networks, String name) {

  public PlaceRequest {
    name = name == null ? "" : name;
    image = image == null ? "" : image;
    constraints = constraints == null ? List.of() : List.copyOf(constraints);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    networks = networks == null ? List.of() : List.copyOf(networks);
  }

  public static PlaceRequest of(String tenant, ObjectKind kind) {
    return new PlaceRequest(tenant, kind, "", List.of(), List.of(), List.of(), "");
  }

  public JsonObject toJson() {
    return new JsonObject().put("tenant", tenant).put("kind", kind.wireName()).put("image", image)
        .put("constraints", new JsonArray(constraints)).put("volumes", new JsonArray(volumes))
        .put("networks", new JsonArray(networks)).put("name", name);
  }

  public static PlaceRequest fromJson(JsonObject json) {
    return new PlaceRequest(json.getString("tenant"), ObjectKind.fromWire(json.getString("kind")), json.getString("image", ""),
        strings(json, "constraints"), strings(json, "volumes"), strings(json, "networks"), json.getString("name", ""));
  }

  private static List<String> strings(JsonObject json, String key) {
    JsonArray array = json.getJsonArray(key, new JsonArray());
    return array.stream().map(String::valueOf).toList();
  }
}
