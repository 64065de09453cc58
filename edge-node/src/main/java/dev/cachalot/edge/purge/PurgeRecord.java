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

  /** Reads one record; unknown fields are ignored (the contract only ever adds fields). */
  public static PurgeRecord of(JsonNode n) {
    long seq = n.path("seq").asLong(-1);
    if (seq < 1) {
      throw new IllegalArgumentException("record without a sequence number: " + n);
    }
    return new PurgeRecord(seq, n.path("id").asText("p-" + seq), n.path("soft").asBoolean(false),
        strings(n.path("urls")), strings(n.path("prefixes")), strings(n.path("tags")), strings(n.path("hosts")),
        n.path("all").asBoolean(false));
  }

  private static List<String> strings(JsonNode a) {
    List<String> out = new ArrayList<>();
    if (a.isArray()) {
      a.forEach(v -> out.add(v.asText()));
    }
    return List.copyOf(out);
  }
}
