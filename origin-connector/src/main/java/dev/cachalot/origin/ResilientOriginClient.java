package dev.cachalot.origin;

import dev.cachalot.config.ResilienceConfig;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Puts an origin client behind a circuit breaker, a bulkhead and budgeted retries, in that order: an open
 * breaker fails fast without queueing, the bulkhead caps what reaches the origin, and a retry takes a new slot.
 * Only idempotent requests are retried, only when the origin was not reached or answered 502, 503 or 504, and
 * never after the response head was handed on. A bulkhead slot is held until the response body is read or closed.
 */
final class ResilientOriginClient implements OriginClient {
  private final String name;
  private final OriginClient delegate;
  private final ResilienceConfig config;
  private final ScheduledExecutorService timer;
  private final CircuitBreaker breaker;
  private final Bulkhead bulkhead;
  private final RetryBudget budget;
  private final AtomicLong shed = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong retriesDenied = new AtomicLong();
  private final OriginObserver observer;

  ResilientOriginClient(String name, OriginClient delegate, ResilienceConfig config, ScheduledExecutorService timer,
      LongSupplier nanoTime) {
    this(name, delegate, config, timer, nanoTime, OriginObserver.NONE);
  }

  ResilientOriginClient(String name, OriginClient delegate, ResilienceConfig config, ScheduledExecutorService timer,
      LongSupplier nanoTime, OriginObserver observer) {
    this.name = name;
    this.observer = observer;
    this.delegate = delegate;
    this.config = config;
    this.timer = timer;
    this.breaker = new CircuitBreaker(config.breakerFailures(), config.breakerCoolDown().toNanos(), nanoTime);
    this.bulkhead = new Bulkhead(config.maxConcurrent(), config.maxQueued(), config.queueTimeout().toMillis(), timer);
    this.budget = new RetryBudget(config.retryBudgetPercent(), 10);
  }

  @Override
  public CompletableFuture<OriginResponse> fetch(OriginRequest request) {
    CompletableFuture<OriginResponse> result = new CompletableFuture<>();
    if (request.isIdempotent()) {
      budget.onFirstAttempt();
    }
    attempt(request, 1, result);
    return result;
  }

  private void attempt(OriginRequest request, int n, CompletableFuture<OriginResponse> result) {
    if (!breaker.tryAcquire()) {
      shed.incrementAndGet();
      result.completeExceptionally(new OriginException(OriginException.Kind.CIRCUIT_OPEN, false,
          "origin '" + name + "' circuit is open after repeated failures"));
      return;
    }
    bulkhead.acquire().whenComplete((slot, refused) -> {
      if (refused != null) {
        breaker.onAbandoned();
        shed.incrementAndGet();
        result.completeExceptionally(refused);
        return;
      }
      if (result.isDone()) { // the caller gave up while queued
        bulkhead.release();
        breaker.onAbandoned();
        return;
      }
      long sent = System.nanoTime();
      delegate.fetch(request).whenComplete((response, error) -> {
        long took = System.nanoTime() - sent;
        if (response != null) {
          observer.onResponse(name, response.status(), took);
        } else {
          observer.onFailure(name, unwrap(error).kind(), took);
        }
        onOutcome(request, n, result, response, error);
      });
    });
  }

  private void onOutcome(OriginRequest request, int n, CompletableFuture<OriginResponse> result,
      @Nullable OriginResponse response, @Nullable Throwable error) {
    if (response == null) {
      bulkhead.release();
      breaker.onFailure();
      OriginException e = unwrap(error);
      if (retryable(request, e) && mayRetry(n)) {
        retryLater(request, n, result);
      } else {
        result.completeExceptionally(e);
      }
      return;
    }
    int status = response.status();
    if (status >= 500) {
      breaker.onFailure();
    } else {
      breaker.onSuccess();
    }
    if ((status == 502 || status == 503 || status == 504) && request.isIdempotent() && mayRetry(n)) {
      response.close();
      bulkhead.release();
      retryLater(request, n, result);
      return;
    }
    OriginResponse held = new OriginResponse(status, response.headers(), response.contentLength(),
        new SlotReleasingStream(response.body(), bulkhead, bytes -> observer.onBodyBytes(name, bytes)));
    if (!result.complete(held)) {
      held.close();
    }
  }

  private boolean mayRetry(int n) {
    if (n >= config.maxAttempts()) {
      return false;
    }
    if (!budget.tryWithdraw()) {
      retriesDenied.incrementAndGet();
      return false;
    }
    return true;
  }

  /** Full-jitter exponential backoff. */
  private void retryLater(OriginRequest request, int n, CompletableFuture<OriginResponse> result) {
    retries.incrementAndGet();
    long cap = Math.min(config.retryMaxDelay().toMillis(), config.retryBaseDelay().toMillis() << Math.min(n - 1, 20));
    long delay = cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
    timer.schedule(() -> attempt(request, n + 1, result), delay, TimeUnit.MILLISECONDS);
  }

  /** The origin was not reached (or reset the connection before answering); a read timeout is not retried. */
  private static boolean retryable(OriginRequest request, OriginException e) {
    return request.isIdempotent() && e.retryable()
        && (e.kind() == OriginException.Kind.CONNECT_TIMEOUT || e.kind() == OriginException.Kind.REFUSED);
  }

  private static OriginException unwrap(@Nullable Throwable error) {
    Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (t instanceof OriginException oe) {
      return oe;
    }
    if (t instanceof IOException io) {
      return OriginException.classify(io, true);
    }
    return t == null ? new OriginException(OriginException.Kind.PROTOCOL, false, "no response")
        : new OriginException(OriginException.Kind.PROTOCOL, false, String.valueOf(t), t);
  }

  OriginHealth health() {
    return new OriginHealth(name, breaker.state().name().toLowerCase(Locale.ROOT), breaker.opens(),
        bulkhead.inFlight(), bulkhead.queued(), shed.get(), retries.get(), retriesDenied.get());
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** Frees the bulkhead slot once, when the body ends, fails or is closed; reports the bytes read then. */
  private static final class SlotReleasingStream extends FilterInputStream {
    private final Bulkhead bulkhead;
    private final java.util.function.LongConsumer bytesRead;
    private final AtomicBoolean released = new AtomicBoolean();
    private long count;

    SlotReleasingStream(InputStream in, Bulkhead bulkhead, java.util.function.LongConsumer bytesRead) {
      super(in);
      this.bulkhead = bulkhead;
      this.bytesRead = bytesRead;
    }

    private void release() {
      if (released.compareAndSet(false, true)) {
        bulkhead.release();
        bytesRead.accept(count);
      }
    }

    @Override
    public int read() throws IOException {
      try {
        int b = super.read();
        if (b < 0) {
          release();
        } else {
          count++;
        }
        return b;
      } catch (IOException e) {
        release();
        throw e;
      }
    }

    @Override
    public int read(byte @Nullable [] b, int off, int len) throws IOException {
      try {
        int n = in.read(b, off, len);
        if (n < 0) {
          release();
        } else {
          count += n;
        }
        return n;
      } catch (IOException e) {
        release();
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        release();
      }
    }
  }
}
