package io.portcullis.gateway.classify;

/**
 * A classified Engine API call.
 *
 * @param family endpoint family for routing, policy and metrics (bounded set, e.g. {@code containers.attach})
 * @param mode how its bytes flow
 * @param apiVersion the {@code /vX.Y} prefix without the {@code v}, or null for an unversioned call
 * @param path the normalised path without the version prefix
 * @param objectId the object the call addresses (container, exec, image, volume, network...), or null
 */
public record ApiCall(String family, StreamMode mode, String apiVersion, String path, String objectId) {

  public boolean mayHijack() {
    return mode == StreamMode.HIJACK;
  }
}
