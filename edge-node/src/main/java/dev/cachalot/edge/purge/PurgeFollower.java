package dev.cachalot.edge.purge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachalot.config.PurgeFollowConfig;
import dev.cachalot.edge.tier.CacheTier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the purge log: long-polls the service for the records after the last one applied, applies them in order
 * ({@link PurgeRules}), journals them (with a mapped tier) and so reports them applied on the next poll. At start-up
 * it replays its journal and tries to catch up before the edge serves; if the log cannot be read, objects stored
 * before start-up get the configured treatment until it has caught up. While running, a purge service outage only
 * delays purges: the edge keeps serving and catches up when the service is back.
 */
public final class PurgeFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PurgeFollower.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long POLL_WAIT_MS = 25_000;

  private final PurgeFollowConfig config;
  private final PurgeRules rules;
  private final CacheTier cache;
  private final @Nullable PurgeJournal journal;
  private final LongSupplier clock;
  private final OkHttpClient http;
  private final LogSource source;
  private final Thread thread;
  private volatile boolean closed;
  private volatile long applied;
  private volatile long head;
  private volatile long caughtUpAt;
  private volatile boolean reachable;
  private volatile long reported;

  private PurgeFollower(PurgeFollowConfig config, PurgeRules rules, CacheTier cache, @Nullable PurgeJournal journal,
      LongSupplier clock) {
    this.config = config;
    this.rules = rules;
    this.cache = cache;
    this.journal = journal;
    this.clock = clock;
    this.http = new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofMillis(POLL_WAIT_MS + 10_000))
        .retryOnConnectionFailure(true)
        .build();
    this.source = config.natsUrl() != null
        ? new JetStreamLogSource(config.natsUrl(), config.natsStream(),
            dev.cachalot.config.PurgeServiceConfig.subjectOf(config.natsStream()))
        : this::fetchFromService;
    this.thread = new Thread(this::run, "purge-follower");
    this.thread.setDaemon(true);
  }

  /**
   * Replays the journal (in {@code stateDir}, or none for a memory-only edge), catches up within the configured
   * time, then follows the log in the background.
   */
  public static PurgeFollower start(PurgeFollowConfig config, PurgeRules rules, CacheTier cache,
      @Nullable Path stateDir, LongSupplier clock) throws IOException {
    PurgeJournal journal = stateDir == null ? null : PurgeJournal.open(stateDir);
    PurgeFollower f = new PurgeFollower(config, rules, cache, journal, clock);
    if (journal != null) {
      for (PurgeJournal.Applied a : journal.replay()) {
        rules.applyRules(a.record(), a.appliedAt());
        f.applied = a.record().seq();
      }
    }
    long startedAt = clock.getAsLong();
    boolean caughtUp = f.catchUp(System.nanoTime() + config.catchUpTimeout().toNanos(), journal == null);
    if (!caughtUp && journal != null) {
      PurgeRules.Verdict v = switch (config.whenUnreachable()) {
        case REVALIDATE -> PurgeRules.Verdict.REVALIDATE;
        case MISS -> PurgeRules.Verdict.MISS;
        case SERVE -> PurgeRules.Verdict.NONE;
      };
      rules.untrustedBefore(startedAt, v);
      LOG.warn("EDGE-121 purge log {} not reachable within {}: objects stored before start-up are treated as '{}' "
          + "until the edge catches up", config.natsUrl() != null ? config.natsUrl() : config.service(), config.catchUpTimeout(),
          config.whenUnreachable().name().toLowerCase(java.util.Locale.ROOT));
    }
    f.thread.start();
    return f;
  }

  /**
   * Reads pages until the head, retrying a service that is not there yet; false if the deadline ({@code nanoTime})
   * passes first.
   */
  private boolean catchUp(long deadlineNanos, boolean fromHead) {
    while (System.nanoTime() < deadlineNanos) {
      try {
        if (fromHead) {
          // a memory-only edge starts empty: nothing stored can predate the purges already in the log
          Page p = fetch(Long.MAX_VALUE / 2, 0, 0);
          applied = p.head();
          head = p.head();
          caughtUpAt = clock.getAsLong();
          return true;
        }
        Page p = fetch(applied, 0, EdgePageSize.PAGE);
        apply(p);
        if (applied >= p.head()) {
          return true;
        }
      } catch (IOException e) {
        LOG.debug("purge log unreachable at start-up", e);
        sleepQuietly(Math.min(200, Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000)));
      }
    }
    return false;
  }

  private void run() {
    long backoff = 100;
    while (!closed) {
      try {
        Page p = fetch(applied, POLL_WAIT_MS, EdgePageSize.PAGE);
        apply(p);
        backoff = 100;
      } catch (RuntimeException e) {
        // a record this edge cannot read or apply: stop here, loudly, rather than skip a purge
        LOG.error("EDGE-123 cannot apply the purge after {} from {}; purges stop here until it is fixed", applied,
            config.natsUrl() != null ? config.natsUrl() : config.service(), e);
        sleepQuietly(backoff);
        backoff = Math.min(5_000, backoff * 2);
      } catch (IOException e) {
        if (closed) {
          return;
        }
        if (reachable) {
          LOG.warn("EDGE-122 lost the purge log at {} ({}); serving on, will catch up",
              config.natsUrl() != null ? config.natsUrl() : config.service(),
              e.getMessage());
        }
        reachable = false;
        sleepQuietly(backoff);
        backoff = Math.min(5_000, backoff * 2);
      }
    }
  }

  /** A page of records (with {@code seq} and {@code id}) and the log's head. */
  record Page(long head, List<JsonNode> records) {}

  /** Where the log is read from: the purge service (long-poll), or the JetStream stream directly. */
  interface LogSource extends AutoCloseable {
    Page fetch(long after, long waitMs, int limit) throws IOException;

    @Override
    default void close() {}
  }

  private Page fetch(long after, long waitMs, int limit) throws IOException {
    Page p = source.fetch(after, waitMs, limit);
    reachable = true;
    return p;
  }

  private Page fetchFromService(long after, long waitMs, int limit) throws IOException {
    String url = java.util.Objects.requireNonNull(config.service()).toString().replaceAll("/+$", "") + "/v1/log?after=" + after + "&wait=" + waitMs
        + "&limit=" + limit + "&edge=" + config.edgeId();
    Request.Builder b = new Request.Builder().url(url);
    if (config.edgeToken() != null) {
      b.header("Authorization", "Bearer " + config.edgeToken());
    }
    try (Response r = http.newCall(b.build()).execute()) {
      if (r.code() != 200) {
        throw new IOException("purge log answered " + r.code() + ": " + r.body().string().trim());
      }
      JsonNode page = JSON.readTree(r.body().byteStream());
      List<JsonNode> records = new ArrayList<>();
      page.path("records").forEach(records::add);
      return new Page(page.path("head").asLong(0), records);
    }
  }

  private void apply(Page p) throws IOException {
    long now = clock.getAsLong();
    List<PurgeJournal.Applied> batch = new ArrayList<>();
    List<JsonNode> raw = new ArrayList<>();
    for (JsonNode n : p.records()) {
      PurgeRecord r = PurgeRecord.of(n);
      if (r.seq() <= applied) {
        continue;
      }
      if (r.seq() != applied + batch.size() + 1) {
        throw new IOException("purge log skipped from " + (applied + batch.size()) + " to " + r.seq());
      }
      rules.apply(r, now, cache);
      batch.add(new PurgeJournal.Applied(r, now));
      raw.add(n);
    }
    if (!batch.isEmpty()) {
      if (journal != null) {
        journal.append(batch, raw);
      }
      applied = batch.get(batch.size() - 1).record().seq();
    }
    if (config.natsUrl() != null && reported < applied) {
      reportApplied(); // every poll until the service has it
    }
    head = Math.max(head, p.head());
    if (applied >= head) {
      caughtUpAt = now;
      if (!rules.trusting()) {
        rules.untrustedBefore(Long.MIN_VALUE, PurgeRules.Verdict.NONE);
        LOG.info("caught up with the purge log at {}: serving stored objects normally again", applied);
      }
    }
  }

  /** Reading JetStream directly, the service learns progress from a report (best effort: the next one repeats it). */
  private void reportApplied() {
    if (config.service() == null) {
      return;
    }
    Request.Builder b = new Request.Builder()
        .url(config.service().toString().replaceAll("/+$", "") + "/v1/edges/" + config.edgeId() + "/applied")
        .post(okhttp3.RequestBody.create("{\"seq\":" + applied + "}", okhttp3.MediaType.get("application/json")));
    if (config.edgeToken() != null) {
      b.header("Authorization", "Bearer " + config.edgeToken());
    }
    long seq = applied;
    http.newCall(b.build()).enqueue(new okhttp3.Callback() {
      @Override
      public void onFailure(okhttp3.Call call, IOException e) {
        LOG.debug("could not report purge progress", e);
      }

      @Override
      public void onResponse(okhttp3.Call call, Response response) {
        if (response.isSuccessful()) {
          reported = Math.max(reported, seq);
        }
        response.close();
      }
    });
  }

  /** The last purge applied. */
  public long applied() {
    return applied;
  }

  /** The log's head as last seen. */
  public long head() {
    return head;
  }

  /** Seconds since the edge was last caught up (0 when it is). */
  public double lagSeconds() {
    return applied >= head ? 0 : Math.max(0, (clock.getAsLong() - caughtUpAt) / 1000.0);
  }

  public boolean reachable() {
    return reachable;
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms); // backoff between reconnects of a background thread, not a test wait
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    http.dispatcher().cancelAll();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    source.close();
    if (journal != null) {
      journal.close();
    }
  }

  /** Records per page asked of the service. */
  static final class EdgePageSize {
    static final int PAGE = 1000;

    private EdgePageSize() {}
  }
}
