package dev.cachalot.edge.purge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One purge as the log sends it (contract/purge-v1/log-page.json). The edge reads the wire format itself: it
 * shares no code with the purge service.
 */
public record PurgeRecord(long seq, String id, boolean soft, List<String> urls, List<String> prefixes,
    List<String> tags, List<String> hosts, boolean all) {

  /**
   * Reads one record; unknown fields are ignored (the contract only ever adds fields). A known field of the wrong
   * shape is an error, not an empty purge: the follower stops there and says so, rather than skip a purge.
   */
  public static PurgeRecord of(JsonNode n) {
    long seq = n.path("seq").asLong(-1);
    if (seq < 1) {
      throw new IllegalArgumentException("record without a sequence number: " + n);
    }
    return new PurgeRecord(seq, n.path("id").asText("p-" + seq), flag(n, "soft"),
        strings(n, "urls"), strings(n, "prefixes"), strings(n, "tags"), strings(n, "hosts"), flag(n, "all"));
  }

  private static boolean flag(JsonNode record, String field) {
    JsonNode v = record.path(field);
    if (v.isMissingNode() || v.isNull() || v.isBoolean()) {
      return v.asBoolean(false);
    }
    throw new IllegalArgumentException("purge " + record.path("seq") + ": '" + field + "' is not true or false");
  }

  private static List<String> strings(JsonNode record, String field) {
    JsonNode a = record.path(field);
    if (a.isMissingNode() || a.isNull()) {
      return List.of();
    }
    if (!a.isArray()) {
      throw notStrings(record, field);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode v : a) {
      if (!v.isTextual() || v.asText().isEmpty()) {
        throw notStrings(record, field);
      }
      out.add(v.asText());
    }
    return List.copyOf(out);
  }

  private static IllegalArgumentException notStrings(JsonNode record, String field) {
    return new IllegalArgumentException("purge " + record.path("seq") + ": '" + field
        + "' is not a list of non-empty strings");
  }
}
