package dev.cachalot.purge.api;

import dev.cachalot.purge.log.PurgeLog;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What edges call: {@code GET /v1/log?after=N&edge=NAME&wait=MS&limit=L} long-polls for up to L (1000) records
 * after N (and reports that edge NAME has applied N; {@code limit=0} just reads the head); {@code POST /v1/edges/NAME/applied {"seq": N}} reports without reading. With
 * {@code edgeToken} set, both need {@code Authorization: Bearer <edgeToken>}.
 */
public final class EdgeApi {
  static final int PAGE = 1000;
  private static final long MAX_WAIT_MS = 60_000;

  private final PurgeLog log;
  private final EdgeRegistry edges;
  private final LongSupplier clock;
  private final byte @Nullable [] expected;

  public EdgeApi(PurgeLog log, EdgeRegistry edges, LongSupplier clock, @Nullable String edgeToken) {
    this.log = log;
    this.edges = edges;
    this.clock = clock;
    this.expected = edgeToken == null ? null : ("Bearer " + edgeToken).getBytes(StandardCharsets.UTF_8);
  }

  private boolean authorised(HttpServerExchange ex) {
    if (expected == null) {
      return true;
    }
    String given = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected)) {
      return true;
    }
    Responses.error(ex, 401, "edges need Authorization: Bearer <edgeToken>");
    return false;
  }

  public void follow(HttpServerExchange ex) {
    if (!authorised(ex)) {
      return;
    }
    long after = number(ex, "after", 0);
    long limit = Math.min(PAGE, number(ex, "limit", PAGE));
    long waitMs = Math.min(MAX_WAIT_MS, number(ex, "wait", 0));
    String edge = param(ex, "edge");
    if (after < 0 || waitMs < 0 || limit < 0 || (edge != null && !edge.matches("[A-Za-z0-9._:-]{1,128}"))) {
      Responses.error(ex, 400, "after and wait are whole numbers >= 0; edge is [A-Za-z0-9._:-]{1,128}");
      return;
    }
    if (edge != null) {
      edges.report(edge, Math.min(after, log.head()), clock.getAsLong());
    }
    if (log.head() > after || waitMs == 0 || limit == 0) {
      page(ex, after, (int) limit);
      return;
    }
    ex.dispatch(SameThreadExecutor.INSTANCE, () -> log.awaitAfter(after)
        .completeOnTimeout(null, waitMs, TimeUnit.MILLISECONDS)
        .whenComplete((v, e) -> page(ex, after, (int) limit)));
  }

  private void page(HttpServerExchange ex, long after, int limit) {
    List<PurgeLog.LogEntry> entries = log.read(after, limit);
    StringBuilder sb = new StringBuilder(64 + entries.size() * 200);
    sb.append("{\"head\":").append(log.head()).append(",\"records\":[");
    for (int i = 0; i < entries.size(); i++) {
      PurgeLog.LogEntry e = entries.get(i);
      if (i > 0) {
        sb.append(',');
      }
      // the payload is a JSON object; the wire record is it with seq and id in front
      String payload = new String(e.payload(), StandardCharsets.UTF_8);
      sb.append("{\"seq\":").append(e.seq()).append(",\"id\":\"").append(PurgeIds.of(e.seq())).append("\",")
          .append(payload, 1, payload.length());
    }
    sb.append("]}\n");
    ex.setStatusCode(200);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    ex.getResponseSender().send(sb.toString());
  }

  public void applied(HttpServerExchange ex, String edge) {
    if (!authorised(ex)) {
      return;
    }
    ex.getRequestReceiver().receiveFullBytes((exchange, body) -> {
      try {
        long seq = PublisherApi.JSON.readTree(body).path("seq").asLong(-1);
        if (seq < 0 || !edge.matches("[A-Za-z0-9._:-]{1,128}")) {
          Responses.error(exchange, 400, "$.seq: a whole number >= 0 is required");
          return;
        }
        // not capped at this service's head: an edge reading JetStream directly can be ahead of its mirror
        edges.report(edge, seq, clock.getAsLong());
        exchange.setStatusCode(204);
        exchange.endExchange();
      } catch (java.io.IOException e) {
        Responses.error(exchange, 400, "$: not valid JSON");
      }
    });
  }

  private static @Nullable String param(HttpServerExchange ex, String name) {
    Deque<String> v = ex.getQueryParameters().get(name);
    return v == null || v.isEmpty() ? null : v.getFirst();
  }

  private static long number(HttpServerExchange ex, String name, long fallback) {
    String v = param(ex, name);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
