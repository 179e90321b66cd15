package io.portcullis.gateway.classify;

import io.portcullis.gateway.classify.EndpointTable.Entry;
import java.util.regex.Matcher;

/**
 * Classifies a request by the one declarative {@link EndpointTable}. A call the table does not list is
 * returned as family {@code unlisted}: forwarded as a plain call today, refused once policy lands.
 */
public final class RequestClassifier {

  public ApiCall classify(String method, String requestTarget) {
    PathNormalizer.NormalizedPath normalized = PathNormalizer.normalize(requestTarget);
    String path = normalized.path();
    for (Entry entry : EndpointTable.ENTRIES) {
      if (!entry.methods().contains(method)) {
        continue;
      }
      Matcher m = entry.pattern().matcher(path);
      if (m.matches()) {
        String objectId = entry.capturesObject() ? m.group(1) : null;
        return new ApiCall(entry.family(), entry.mode(), normalized.apiVersion(), path, objectId);
      }
    }
    return new ApiCall("unlisted", StreamMode.PLAIN, normalized.apiVersion(), path, null);
  }
}
