package dev.cachalot.edge.http;

import dev.cachalot.config.EdgeConfig;
import dev.cachalot.edge.fill.Filler;
import dev.cachalot.edge.fill.MissCoalescer;
import dev.cachalot.edge.fill.SliceFetcher;
import dev.cachalot.edge.fill.SliceStats;
import dev.cachalot.edge.fill.UncacheablePredictor;
import dev.cachalot.edge.policy.StoragePolicy;
import dev.cachalot.edge.purge.PurgeForwarder;
import dev.cachalot.edge.purge.PurgeRules;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.origin.OriginRouter;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.xnio.XnioIoThread;

/** What the handlers share: the cache, the origin, the fill machinery, the clock. Built once by the pipeline. */
public final class EdgeContext {
  final CacheTier cache;
  final OriginRouter origin;
  final MissCoalescer coalescer;
  final UncacheablePredictor predictor;
  final Filler filler;
  final StoragePolicy storage;
  final SliceStats sliceStats = new SliceStats();
  final int sliceReadAhead;
  final SliceFetcher sliceFetcher;
  final ResponseWriter writer;
  final LongSupplier clock;
  final long graceMillis;
  final String name;
  final long maxRequestBody;
  /** Runs blocking continuations (body reads, streaming) inline, unless called on an I/O thread. */
  final Executor offIo;
  /** The purges applied so far, checked at every lookup (empty when no purge log is followed). */
  final PurgeRules purges;
  /** Sends PURGE requests to the purge service, or null when none is configured. */
  final @Nullable PurgeForwarder purgeForwarder;
  /** Metrics and access log, or null when both are off. */
  final @Nullable RequestListener listener;
  private final ExecutorService blocking;
  static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(5);

  public EdgeContext(EdgeConfig config, CacheTier cache, OriginRouter origin, LongSupplier clock,
      @Nullable RequestListener listener, PurgeRules purges, @Nullable PurgeForwarder purgeForwarder) {
    this.cache = cache;
    this.purges = purges;
    this.purgeForwarder = purgeForwarder;
    this.listener = listener;
    this.origin = origin;
    this.clock = clock;
    this.name = config.server().name();
    this.coalescer = new MissCoalescer(config.cache().coalesceTimeout(), clock);
    this.predictor = new UncacheablePredictor(config.cache().hitForMissTtl());
    this.storage = new StoragePolicy(config.cache().heuristicMaxTtl().toMillis(),
        config.cache().setCookieHosts());
    this.sliceReadAhead = config.cache().sliceReadAhead();
    this.writer = new ResponseWriter(name, clock);
    this.graceMillis = config.cache().staleIfErrorGrace().toMillis();
    this.maxRequestBody = config.server().maxRequestBodySize();
    AtomicInteger n = new AtomicInteger();
    this.blocking = new ThreadPoolExecutor(16, 16, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "edge-blocking-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ((ThreadPoolExecutor) blocking).allowCoreThreadTimeOut(true);
    this.offIo = command -> {
      if (Thread.currentThread() instanceof XnioIoThread) {
        blocking.execute(command);
      } else {
        command.run();
      }
    };
    this.sliceFetcher = new SliceFetcher(origin, cache, storage, coalescer, clock, offIo, sliceStats,
        config.cache().sliceSize(), config.cache().sliceThreshold());
    this.filler = new Filler(origin, cache, storage, predictor, clock, config.cache().maxObjectSize(), offIo,
        config.cache().sliceSize() > 0 ? sliceFetcher : null);
  }

  /** Threads that may block (slice fetches run here in parallel). */
  java.util.concurrent.Executor blockingPool() {
    return blocking;
  }

  /**
   * Stops the helper threads, letting fills that are storing their objects finish for up to {@link #CLOSE_WAIT}: a
   * store cut short by an interrupt loses the object the next start would have had.
   */
  public void close() {
    blocking.shutdown();
    try {
      if (!blocking.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        blocking.shutdownNow();
      }
    } catch (InterruptedException e) {
      blocking.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  public MissCoalescer coalescer() {
    return coalescer;
  }

  public UncacheablePredictor predictor() {
    return predictor;
  }

  public SliceStats sliceStats() {
    return sliceStats;
  }

  public PurgeRules purges() {
    return purges;
  }

  public OriginRouter origins() {
    return origin;
  }

  public CacheTier cache() {
    return cache;
  }
}
