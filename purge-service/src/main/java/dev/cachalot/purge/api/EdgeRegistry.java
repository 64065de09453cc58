package dev.cachalot.purge.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What each edge has reported applying: its history of (sequence, time) reports, so a status query can say when an
 * edge first reached a given purge. Bounded per edge; an edge whose oldest kept report is past the purge has
 * applied it at an unknown earlier time, reported as that oldest time.
 */
public final class EdgeRegistry {
  private static final int KEEP = 10_000;

  /** One edge's view of one purge. */
  public record Applied(String edge, long appliedSeq, boolean applied, @Nullable Long appliedAt, long lastReportAt) {}

  private record Report(long seq, long at) {}

  private final Map<String, List<Report>> edges = new TreeMap<>();
  private final Map<String, Long> lastSeen = new TreeMap<>();

  public synchronized void report(String edge, long seq, long now) {
    List<Report> reports = edges.computeIfAbsent(edge, e -> new ArrayList<>());
    lastSeen.put(edge, now);
    if (!reports.isEmpty() && reports.get(reports.size() - 1).seq() >= seq) {
      return; // nothing new applied
    }
    reports.add(new Report(seq, now));
    if (reports.size() > KEEP) {
      reports.subList(0, reports.size() - KEEP).clear();
    }
  }

  /** Every known edge's state with respect to purge {@code seq}. */
  public synchronized List<Applied> status(long seq) {
    List<Applied> out = new ArrayList<>();
    edges.forEach((edge, reports) -> {
      Report last = reports.get(reports.size() - 1);
      Long at = null;
      for (Report r : reports) {
        if (r.seq() >= seq) {
          at = r.at();
          break;
        }
      }
      out.add(new Applied(edge, last.seq(), last.seq() >= seq, at, lastSeen.getOrDefault(edge, last.at())));
    });
    return out;
  }

  /** Applied sequence per edge. */
  public synchronized Map<String, Long> applied() {
    Map<String, Long> out = new TreeMap<>();
    edges.forEach((e, r) -> out.put(e, r.get(r.size() - 1).seq()));
    return out;
  }
}
