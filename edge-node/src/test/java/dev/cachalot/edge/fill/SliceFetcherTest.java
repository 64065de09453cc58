package dev.cachalot.edge.fill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.OriginConfig;
import dev.cachalot.edge.Await;
import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.policy.CacheControl;
import dev.cachalot.edge.policy.StoragePolicy;
import dev.cachalot.edge.tier.CacheEntry;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.edge.tier.CacheTiers;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpFields;
import dev.cachalot.origin.OriginClient;
import dev.cachalot.origin.OriginClients;
import dev.cachalot.origin.OriginRequest;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Slice fetches against a real origin client and memory tier, with an origin that answers ranges. */
class SliceFetcherTest {
  private static final int MIB = 1 << 20;
  private static final int TOTAL = 8 * MIB;

  private final MockWebServer origin = new MockWebServer();
  private final AtomicInteger originRequests = new AtomicInteger();
  private final ExecutorService blocking = Executors.newCachedThreadPool();
  private final CacheTier cache = CacheTiers.memory(64L << 20);
  private final CacheKey key = new CacheKey("videos.example", "http://videos.example/v.mp4");
  private final MissCoalescer coalescer = new MissCoalescer(Duration.ofSeconds(5));
  private OriginClient client;
  private SliceFetcher fetcher;

  @BeforeEach
  void start() throws Exception {
    origin.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) {
        originRequests.incrementAndGet();
        String[] range = r.getHeaders().get("Range").substring("bytes=".length()).split("-");
        int from = Integer.parseInt(range[0]);
        int to = Math.min(TOTAL - 1, Integer.parseInt(range[1]));
        byte[] part = new byte[to - from + 1];
        for (int i = 0; i < part.length; i++) {
          part[i] = (byte) ((from + i) * 31);
        }
        return new MockResponse.Builder().code(206).body(new Buffer().write(part))
            .addHeader("Content-Range", "bytes " + from + "-" + to + "/" + TOTAL)
            .addHeader("ETag", "\"v1\"").addHeader("Cache-Control", "max-age=600").build();
      }
    });
    origin.start();
    client = OriginClients.create(OriginConfig.of(origin.url("/").toString()));
    fetcher = new SliceFetcher(client, cache, new StoragePolicy(Duration.ofDays(1).toMillis(), Set.of()),
        coalescer, System::currentTimeMillis, blocking, new SliceStats(), MIB,
        2L * MIB);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    origin.close();
    blocking.shutdownNow();
    cache.close();
  }

  private SliceFetcher.Target target() {
    return new SliceFetcher.Target(key, () -> OriginRequest.get("/v.mp4", "videos.example", HttpFields.of()),
        new StoragePolicy.RequestFacts("videos.example", false, CacheControl.EMPTY), this::storedDescription);
  }

  private @Nullable StoredResponse storedDescription() {
    CacheEntry e = cache.lookup(Slices.descriptionKey(key)).join();
    return e == null ? null : e.invariant();
  }

  private boolean stored(long index) {
    return cache.lookup(Slices.sliceKey(key, index)).join() != null;
  }

  @Test
  void aColdRequestOvertakenByAnotherFillReadsTheStoredSlice() throws Exception {
    SliceFetcher.Slice first = fetcher.slice(target(), 4, null).join();
    assertThat(first).isNotNull();
    assertThat(first.fromTiers()).isFalse();
    // stored, and its fill over: the next request for it leads a fill of its own
    assertThat(Await.until(() -> stored(4) && !coalescer.inFlight(Slices.sliceKey(key, 4)), Duration.ofSeconds(10)))
        .as("slice 4 stored and its fill ended").isTrue();

    // a request that found nothing stored when it looked, and asks for the slice only after the fill ended
    SliceFetcher.Slice late = fetcher.slice(target(), 4, null).join();

    assertThat(late).isNotNull();
    assertThat(late.fromTiers()).isTrue();
    assertThat(late.body().toArray()).isEqualTo(first.body().toArray());
    assertThat(late.total()).isEqualTo(TOTAL);
    assertThat(originRequests.get()).as("slice 4 read from the origin once").isEqualTo(1);
  }
}
