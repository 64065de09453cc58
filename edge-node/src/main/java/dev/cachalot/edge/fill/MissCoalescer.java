package dev.cachalot.edge.fill;

import dev.cachalot.edge.key.CacheKey;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * One origin fetch per key: the first request for a key leads, later ones follow and wait for its outcome, up to
 * a timeout after which they fetch on their own.
 */
public final class MissCoalescer {
  private final ConcurrentHashMap<CacheKey, Fill> inFlight = new ConcurrentHashMap<>();
  private final long timeoutMillis;
  private final LongAdder leaders = new LongAdder();
  private final LongAdder followers = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  /** When a fill of a key in each stripe of key hashes last ended (clock millis): see {@link #endedRecently}. */
  private final AtomicLongArray endedAt = new AtomicLongArray(ENDED_STRIPES);
  private final LongSupplier clock;

  private static final int ENDED_STRIPES = 4096;
  /** How long after a fill of its key (or of another in its stripe) ends a miss still takes a second look. */
  static final long RECENT_MILLIS = 10_000;

  public MissCoalescer(Duration timeout) {
    this(timeout, System::currentTimeMillis);
  }

  /** @param clock milliseconds, for {@link #endedRecently} */
  public MissCoalescer(Duration timeout, LongSupplier clock) {
    this.timeoutMillis = timeout.toMillis();
    this.clock = clock;
  }

  /** A place in line for a key: the leader must {@link #complete} it; a follower {@link #await}s it. */
  public static final class Ticket {
    private final CacheKey key;
    private final Fill fill;
    private final boolean leader;

    Ticket(CacheKey key, Fill fill, boolean leader) {
      this.key = key;
      this.fill = fill;
      this.leader = leader;
    }

    public boolean leader() {
      return leader;
    }

    public CacheKey key() {
      return key;
    }
  }

  static final class Fill {
    final CompletableFuture<FillOutcome> future = new CompletableFuture<>();
    final AtomicInteger waiting = new AtomicInteger();
  }

  public Ticket join(CacheKey key) {
    Fill mine = new Fill();
    Fill existing = inFlight.putIfAbsent(key, mine);
    if (existing == null) {
      leaders.increment();
      return new Ticket(key, mine, true);
    }
    followers.increment();
    existing.waiting.incrementAndGet();
    return new Ticket(key, existing, false);
  }

  /**
   * Early news for the followers ({@link FillOutcome.Kind#STREAMING} or {@link FillOutcome.Kind#SLICED}): the key
   * stays in flight, so later requests follow too, until {@link #complete}.
   */
  public void started(Ticket ticket, FillOutcome early) {
    if (ticket.leader) {
      ticket.fill.future.complete(early);
    }
  }

  /** The leader's outcome, for every follower. Completing twice is harmless. */
  public void complete(Ticket ticket, FillOutcome outcome) {
    if (!ticket.leader) {
      return;
    }
    endedAt.set(stripe(ticket.key), clock.getAsLong()); // before it leaves the map: whoever finds it gone sees this
    inFlight.remove(ticket.key, ticket.fill);
    if (!ticket.fill.future.complete(outcome)) {
      LiveFill live = ticket.fill.future.join().live();
      if (live != null) {
        live.outcome().complete(outcome);
      }
    }
  }

  /**
   * The leader's outcome, or its early news; completes exceptionally with a TimeoutException if neither comes in
   * time.
   */
  public CompletableFuture<FillOutcome> await(Ticket ticket) {
    return timed(ticket.fill.future).whenComplete((o, e) -> ticket.fill.waiting.decrementAndGet());
  }

  /** The final outcome of a fill that is streaming, within the same timeout. */
  public CompletableFuture<FillOutcome> awaitEnd(LiveFill live) {
    return timed(live.outcome());
  }

  private CompletableFuture<FillOutcome> timed(CompletableFuture<FillOutcome> f) {
    return f.copy().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((o, e) -> {
      if (e != null) {
        timeouts.increment();
      }
    });
  }

  /**
   * Whether a fill of {@code key} may have ended lately (within {@link #RECENT_MILLIS}; other keys share its
   * stripe). A request that missed and then finds no fill in flight could only have missed what such a fill
   * stored: if none ended since its lookup, its miss stands and a second look would find nothing.
   */
  public boolean endedRecently(CacheKey key) {
    return endedAt.get(stripe(key)) >= clock.getAsLong() - RECENT_MILLIS;
  }

  private static int stripe(CacheKey key) {
    return (key.url().hashCode() & 0x7fffffff) % ENDED_STRIPES;
  }

  /** Whether {@code key} is being fetched right now. */
  public boolean inFlight(CacheKey key) {
    return inFlight.containsKey(key);
  }

  /** Requests now waiting for the fetch of {@code key}. */
  public int waiting(CacheKey key) {
    Fill f = inFlight.get(key);
    return f == null ? 0 : f.waiting.get();
  }

  /** Counters: fetches led, requests that waited, waits that timed out. */
  public record Stats(long leaders, long followers, long timeouts) {}

  public Stats stats() {
    return new Stats(leaders.sum(), followers.sum(), timeouts.sum());
  }
}
