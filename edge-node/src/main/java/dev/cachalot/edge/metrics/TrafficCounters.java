package dev.cachalot.edge.metrics;

import dev.cachalot.edge.http.EdgeExchange;
import dev.cachalot.edge.http.IoThreadLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Requests and body bytes served, by host, cache result and tier. Hosts beyond the first {@code maxHosts} are
 * counted as {@code other}. A cell (host, result, tier) is created on first use and announced to {@code onNewCell},
 * which is how the exporter registers a series only for combinations that occur.
 */
public final class TrafficCounters {
  /** Which tier answered (for cache answers), or {@code origin}, or {@code none} for edge errors. */
  public enum Tier {
    MEMORY, MAPPED, ORIGIN, NONE;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The tier of a finished request, for the metrics and the access log alike. */
    static Tier of(CacheResult result, @Nullable EdgeExchange ctx) {
      if (result.fromCache()) {
        return ctx != null && ctx.fromMapped() ? MAPPED : MEMORY;
      }
      return result == CacheResult.ERROR && (ctx == null || ctx.originNanos() == 0) ? NONE : ORIGIN;
    }

    public String label() {
      return label;
    }
  }

  /** One series pair. */
  public record Cell(String host, CacheResult result, Tier tier, Counter requests, Counter bytes) {
    public long requestCount() {
      return requests.sum();
    }

    public long byteCount() {
      return bytes.sum();
    }
  }

  private static final int RESULTS = CacheResult.values().length;
  private static final int TIERS = Tier.values().length;
  private static final int RAW_HOSTS_CAP = 4096;

  private final int maxHosts;
  private final Consumer<Cell> onNewCell;
  private final ConcurrentHashMap<String, Row> byLabel = new ConcurrentHashMap<>();
  /** Host field as received → its row, so the common case needs no normalising. */
  private final ConcurrentHashMap<String, Row> byRawHost = new ConcurrentHashMap<>();
  private final List<Cell> cells = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Row other;

  /** The combinations that occur, created with each host so that rate() sees their first increments. */
  private static final Object[][] USUAL = {
      {CacheResult.HIT, Tier.MEMORY}, {CacheResult.HIT, Tier.MAPPED}, {CacheResult.STALE, Tier.MEMORY},
      {CacheResult.STALE, Tier.MAPPED}, {CacheResult.REVALIDATED, Tier.MEMORY},
      {CacheResult.REVALIDATED, Tier.MAPPED}, {CacheResult.MISS, Tier.ORIGIN}, {CacheResult.PASS, Tier.ORIGIN},
      {CacheResult.ERROR, Tier.ORIGIN}, {CacheResult.ERROR, Tier.NONE}};

  private final class Row {
    final String label;
    final AtomicReferenceArray<Cell> cells = new AtomicReferenceArray<>(RESULTS * TIERS);

    Row(String label) {
      this.label = label;
    }

    Row initialised() {
      for (Object[] combo : USUAL) {
        cell((CacheResult) combo[0], (Tier) combo[1]);
      }
      return this;
    }

    Cell cell(CacheResult r, Tier t) {
      int i = r.ordinal() * TIERS + t.ordinal();
      Cell c = cells.get(i);
      if (c == null) {
        Cell fresh = new Cell(label, r, t, new Counter(), new Counter());
        if (cells.compareAndSet(i, null, fresh)) {
          TrafficCounters.this.cells.add(fresh);
          onNewCell.accept(fresh);
          return fresh;
        }
        c = cells.get(i);
      }
      return c;
    }
  }

  /** A counting thread's slot in every {@link Counter}, and the last Host field it counted with that field's row. */
  private final class PerThread {
    final int slot = Counter.slot();
    @Nullable String host;
    @Nullable Row row;
  }

  private final IoThreadLocal<PerThread> perThread = new IoThreadLocal<>(PerThread::new);

  public TrafficCounters(int maxHosts, Consumer<Cell> onNewCell) {
    this.maxHosts = maxHosts;
    this.onNewCell = onNewCell;
    this.other = new Row("other");
  }

  public void record(String rawHost, CacheResult result, Tier tier, long bytes) {
    PerThread t = perThread.get();
    Row row = t.row;
    if (row == null || !rawHost.equals(t.host)) { // a connection's requests, and most sites', share a Host
      row = byRawHost.get(rawHost);
      if (row == null) {
        row = row(rawHost);
      }
      t.host = rawHost;
      t.row = row;
    }
    Cell c = row.cell(result, tier);
    c.requests().add(t.slot, 1);
    if (bytes > 0) {
      c.bytes().add(t.slot, bytes);
    }
  }

  private Row row(String rawHost) {
    String label = dev.cachalot.origin.OriginRouter.hostOnly(rawHost);
    Row row = byLabel.get(label);
    if (row == null) {
      row = byLabel.size() >= maxHosts ? otherRow()
          : byLabel.computeIfAbsent(label, l -> new Row(l).initialised());
    }
    if (byRawHost.size() < RAW_HOSTS_CAP) {
      byRawHost.putIfAbsent(rawHost, row);
    }
    return row;
  }

  private volatile boolean otherInitialised;

  private Row otherRow() {
    if (!otherInitialised) {
      other.initialised();
      otherInitialised = true;
    }
    return other;
  }

  /** Every cell in use. */
  public List<Cell> cells() {
    return new ArrayList<>(cells);
  }
}
