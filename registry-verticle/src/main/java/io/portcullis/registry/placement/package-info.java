/**
 * Where a tenant's new container, volume or network goes: pure logic, no bus and no I/O, so that
 * every rule can be shown by a table test. The registry verticle gathers the facts (host loads,
 * the tenant's pool, which hosts hold the image and the objects the container uses) and asks
 * {@link io.portcullis.registry.placement.Placement#place} for a host name.
 *
 * <p>The candidates narrow in a fixed order, and each step that leaves nothing refuses with its own
 * reason, so the tenant learns which rule stopped the create:
 *
 * <pre>
 *   all hosts ─▶ placeable ─▶ in the tenant's pool ─▶ satisfy every constraint ─▶ hold the pinned objects
 *             ─▶ have room ─▶ hold the image (only if one does) ─▶ strategy picks one (spread | binpack)
 * </pre>
 */
package io.portcullis.registry.placement;
