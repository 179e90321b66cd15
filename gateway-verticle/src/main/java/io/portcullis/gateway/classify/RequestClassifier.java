package io.portcullis.gateway.classify;

import io.portcullis.gateway.classify.EndpointTable.Entry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Classifies a request by the one declarative {@link EndpointTable}. A call the table does not list is
 * returned as family {@code unlisted}: forwarded as a plain call today, refused once policy lands.
 */
public final class RequestClassifier {
  /**
   * Entries by the first literal segment of their pattern (in table order, with the entries whose first
   * segment is itself a pattern appended), so a request is matched against a handful of patterns only.
   */
  private final Map<String, List<Entry>> bySegment = new HashMap<>();
  private final List<Entry> wildcard = new ArrayList<>();

  public RequestClassifier() {
    for (Entry entry : EndpointTable.ENTRIES) {
      String segment = firstSegment(entry.pattern().pattern());
      if (segment.chars().anyMatch(c -> "()[]|.*+?\\".indexOf(c) >= 0)) {
        wildcard.add(entry);
        bySegment.values().forEach(list -> list.add(entry));
      } else {
        bySegment.computeIfAbsent(segment, k -> new ArrayList<>(wildcard)).add(entry);
      }
    }
  }

  public ApiCall classify(String method, String requestTarget) {
    PathNormalizer.NormalizedPath normalized = PathNormalizer.normalize(requestTarget);
    String path = normalized.path();
    for (Entry entry : bySegment.getOrDefault(firstSegment(path), wildcard)) {
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

  private static String firstSegment(String path) {
    int end = path.indexOf('/', 1);
    return end < 0 ? path.substring(1) : path.substring(1, end);
  }
}
