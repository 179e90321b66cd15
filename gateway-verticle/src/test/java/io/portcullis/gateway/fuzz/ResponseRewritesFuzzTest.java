package io.portcullis.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.portcullis.gateway.ownership.TenantNames;
import io.portcullis.gateway.rewrite.JsonLines;
import io.portcullis.gateway.rewrite.ResponseRewrites;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The response rewrites over arbitrary JSON in the shapes the daemon answers with (and shapes it
 * should not): none throws, and those that decide what a tenant may see (image lists, {@code system
 * df}, the events stream through {@link JsonLines}) never pass an object carrying another tenant's
 * owner label.
 */
class ResponseRewritesFuzzTest {
  private static final String TENANT = "tenant-a";
  private static final TenantNames NAMES = new TenantNames(TENANT);
  private static final List<String> KEYS = List.of("Labels", "Names", "Name", "Mounts", "NetworkSettings", "Networks",
      "HostConfig", "Binds", "NetworkMode", "Containers", "Images", "Volumes", "Type", "Actor", "Attributes", "ID", "id",
      "RepoTags", "Size", "Id", "ImageID", "Swarm", "VolumesDeleted", "NetworksDeleted", "State", JsonArbitraries.OWNER);

  @Property(seed = FuzzSeeds.SEED)
  void noRewriteThrows(@ForAll("objects") JsonObject answer, @ForAll("arrays") JsonArray list) {
    ResponseRewrites.containerInspect(answer.copy(), NAMES);
    ResponseRewrites.volumeList(answer.copy(), NAMES);
    ResponseRewrites.volume(answer.copy(), NAMES);
    ResponseRewrites.pruneReport(answer.copy(), NAMES);
    ResponseRewrites.network(answer.copy(), NAMES);
    ResponseRewrites.info(answer.copy(), ResponseRewrites.TenantCounts.of(list.copy(), list.copy(), TENANT), "gw");
    ResponseRewrites.event(answer.copy(), NAMES);
    ResponseRewrites.stats(answer.copy(), NAMES);
    ResponseRewrites.containerList(list.copy(), NAMES);
    ResponseRewrites.networkList(list.copy(), NAMES);
    assertThat(ResponseRewrites.imageList(list.copy(), TENANT)).isNotNull();
  }

  @Property(seed = FuzzSeeds.SEED)
  void imagesAndDf_neverShowAnotherTenantsObjects(@ForAll("arrays") JsonArray images, @ForAll("objects") JsonObject df) {
    assertNoOtherOwner(ResponseRewrites.imageList(images.copy(), TENANT));
    JsonObject shown = ResponseRewrites.systemDf(df.copy(), TENANT, NAMES);
    for (String key : List.of("Images", "Containers", "Volumes")) {
      assertNoOtherOwner(shown.getValue(key));
    }
  }

  @Property(seed = FuzzSeeds.SEED)
  void eventsStream_neverShowsAnotherTenantsObjects(@ForAll("arrays") JsonArray events, @ForAll("splits") int split) {
    StringBuilder stream = new StringBuilder();
    for (Object e : events) {
      stream.append(e instanceof JsonObject o ? o.encode() : String.valueOf(e)).append('\n');
    }
    byte[] bytes = stream.toString().getBytes(StandardCharsets.UTF_8);
    int at = Math.min(split, bytes.length);
    JsonLines lines = new JsonLines(event -> ResponseRewrites.tenantEvent(event, TENANT, NAMES));
    ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    ByteBuf first = lines.apply(Unpooled.copiedBuffer(bytes, 0, at), alloc);
    ByteBuf second = lines.apply(Unpooled.copiedBuffer(bytes, at, bytes.length - at), alloc);
    ByteBuf last = lines.finish(alloc);
    String out = first.toString(StandardCharsets.UTF_8) + second.toString(StandardCharsets.UTF_8) + last.toString(StandardCharsets.UTF_8);
    first.release();
    second.release();
    last.release();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        JsonObject event = new JsonObject(line);
        assertThat(event.getValue("Type")).isIn("container", "image", "volume", "network");
        assertShownEvent(event);
      }
    }
  }

  /** Found by {@link #noRewriteThrows}: a container whose Names is an object failed the whole list (ClassCastException). */
  @Example
  void containerListWithNamesThatAreNotAList() {
    JsonArray shown = ResponseRewrites.containerList(new JsonArray().add(new JsonObject().put("Names", new JsonObject())), NAMES);
    assertThat(shown.getJsonObject(0).getJsonArray("Names")).isEmpty();
  }

  /** Found by {@link #noRewriteThrows}: a container whose State is null failed {@code info} (NullPointerException). */
  @Example
  void infoCountsWithAStateThatIsNull() {
    JsonArray containers = new JsonArray().add(new JsonObject().putNull("State")).add(new JsonObject().put("State", 3));
    ResponseRewrites.TenantCounts counts = ResponseRewrites.TenantCounts.of(containers, new JsonArray(), TENANT);
    assertThat(counts.total()).isEqualTo(2);
    assertThat(counts.stopped()).isEqualTo(2);
  }

  @Example
  void knownAnswers() {
    JsonArray images = new JsonArray().add(new JsonObject().put("Labels", new JsonObject().put(JsonArbitraries.OWNER, "tenant-b")))
        .add(new JsonObject().put("Labels", "not an object")).add("x").addNull();
    imagesAndDf_neverShowAnotherTenantsObjects(images, new JsonObject().put("Images", images).put("Containers", images)
        .put("Volumes", new JsonObject()));
    eventsStream_neverShowsAnotherTenantsObjects(new JsonArray()
        .add(new JsonObject().put("Type", "container").put("Actor", new JsonObject().put("Attributes",
            new JsonObject().put(JsonArbitraries.OWNER, "tenant-b"))))
        .add("{\"Type\":\"volume\",\"Actor\":{\"ID\":\"tenant-b.v\"}}").add("[]").add("null"), 7);
  }

  /**
   * No object of a list the tenant is shown carries another tenant's owner label (in its own
   * {@code Labels}); for an event of a container or an image, the owner attribute is the tenant's.
   */
  private static void assertNoOtherOwner(Object list) {
    if (list instanceof JsonArray a) {
      for (Object entry : a) {
        if (entry instanceof JsonObject o && o.getValue("Labels") instanceof JsonObject labels) {
          Object owner = labels.getValue(JsonArbitraries.OWNER);
          assertThat(owner == null || owner.equals(TENANT)).as("owner label %s in %s", owner, o.encode()).isTrue();
        }
      }
    }
  }

  private static void assertShownEvent(JsonObject event) {
    if (event.getValue("Type") instanceof String type && (type.equals("container") || type.equals("image"))) {
      Object attributes = event.getJsonObject("Actor").getValue("Attributes");
      assertThat(((JsonObject) attributes).getValue(JsonArbitraries.OWNER)).as("event %s", event.encode()).isEqualTo(TENANT);
    }
  }

  /** Found by {@link #imagesAndDf_neverShowAnotherTenantsObjects}: an owner label that is not a string failed the list. */
  @Example
  void imageWithAnOwnerLabelThatIsNotAString() {
    JsonArray images = new JsonArray().add(new JsonObject().put("RepoTags", new JsonArray().add("x"))
        .put("Labels", new JsonObject().put(JsonArbitraries.OWNER, true)));
    assertThat(ResponseRewrites.imageList(images, TENANT)).isEmpty();
  }

  @Provide
  Arbitrary<JsonObject> objects() {
    Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(KEYS), Arbitraries.strings().alpha().ofMaxLength(4));
    return JsonArbitraries.object(JsonArbitraries.value(3, keys), keys);
  }

  @Provide
  Arbitrary<JsonArray> arrays() {
    Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(KEYS), Arbitraries.strings().alpha().ofMaxLength(4));
    return JsonArbitraries.value(3, keys).list().ofMaxSize(5).map(l -> new JsonArray(new java.util.ArrayList<>(l)));
  }

  @Provide
  Arbitrary<Integer> splits() {
    return Arbitraries.integers().between(0, 400);
  }
}
