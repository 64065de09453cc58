package dev.cachalot.purge.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachalot.config.PurgeTokenConfig;
import dev.cachalot.purge.auth.Tokens;
import dev.cachalot.purge.log.PurgeLog;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/purge} and {@code GET /v1/purge/{id}}. Checks, in order: the token (401), its rate (429 with
 * Retry-After), the body (400 with JSON paths), the token's hosts and rights (403 naming the host); then the purge is
 * appended to the log and 202 is sent only once it is durable.
 */
public final class PublisherApi {
  private static final Logger LOG = LoggerFactory.getLogger(PublisherApi.class);
  static final ObjectMapper JSON = new ObjectMapper();

  private final Tokens tokens;
  private final PurgeLog log;
  private final EdgeRegistry edges;
  private final LongSupplier clock;
  private final PurgeCounters counters;

  public PublisherApi(Tokens tokens, PurgeLog log, EdgeRegistry edges, LongSupplier clock, PurgeCounters counters) {
    this.tokens = tokens;
    this.log = log;
    this.edges = edges;
    this.clock = clock;
    this.counters = counters;
  }

  public void purge(HttpServerExchange ex) {
    PurgeTokenConfig token = tokens.authenticate(ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
    if (token == null) {
      counters.rejected("unauthorized");
      ex.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"cachalot-purge\"");
      Responses.error(ex, 401, "missing or unknown token: send Authorization: Bearer <token>");
      return;
    }
    long wait = tokens.retryAfterSeconds(token);
    if (wait > 0) {
      counters.rejected("rate_limited");
      ex.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(wait));
      Responses.error(ex, 429, "token '" + token.name() + "' is over its rate of " + token.ratePerSecond()
          + " purges a second; retry after " + wait + " s");
      return;
    }
    ex.getRequestReceiver().receiveFullBytes((exchange, body) -> accept(exchange, token, body),
        (exchange, e) -> Responses.error(exchange, 400, "cannot read the body: " + e.getMessage()));
  }

  private void accept(HttpServerExchange ex, PurgeTokenConfig token, byte[] body) {
    PurgeRequest request;
    try {
      request = PurgeRequest.parse(body);
    } catch (PurgeRequest.Invalid e) {
      counters.rejected("bad_request");
      Responses.errors(ex, 400, e.problems());
      return;
    }
    for (PurgeRequest.Kind kind : request.kinds()) {
      if (!token.rights().contains(kind.name().toLowerCase(Locale.ROOT))) {
        counters.rejected("forbidden");
        Responses.error(ex, 403, "token '" + token.name() + "' may not purge by " + kind.name().toLowerCase(Locale.ROOT)
            + (kind == PurgeRequest.Kind.ALL ? " (purging everything is a separate right)" : ""));
        return;
      }
    }
    for (String host : request.touchedHosts()) {
      if (!Tokens.allows(token, host)) {
        counters.rejected("forbidden");
        Responses.error(ex, 403, "token '" + token.name() + "' may not purge host '" + host + "'");
        return;
      }
    }
    long now = clock.getAsLong();
    byte[] payload = request.toPayload(now, token.name());
    ex.dispatch(SameThreadExecutor.INSTANCE, () -> log.append(payload).whenComplete((seq, error) -> {
      if (error != null) {
        counters.rejected("log_error");
        Responses.error(ex, 503, "the purge log cannot record purges right now; nothing was accepted");
        return;
      }
      counters.accepted();
      LOG.info("purge {} accepted from token '{}': {} urls, {} prefixes, {} tags, all={}, soft={}", seq, token.name(),
          request.urls().size(), request.prefixes().size(), request.tags().size(), request.all(), request.soft());
      ObjectNode out = JSON.createObjectNode();
      out.put("id", PurgeIds.of(seq));
      out.put("seq", seq);
      out.put("acceptedAt", Instant.ofEpochMilli(now).toString());
      out.put("status", "/v1/purge/" + PurgeIds.of(seq));
      Responses.json(ex, 202, out);
    }));
  }

  public void status(HttpServerExchange ex, String id) {
    PurgeTokenConfig token = tokens.authenticate(ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
    if (token == null) {
      Responses.error(ex, 401, "missing or unknown token: send Authorization: Bearer <token>");
      return;
    }
    long seq = PurgeIds.seq(id);
    List<PurgeLog.LogEntry> entry = seq < 1 ? List.of() : log.read(seq - 1, 1);
    if (entry.isEmpty()) {
      Responses.error(ex, 404, "no purge '" + id + "'");
      return;
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("id", id);
    out.put("seq", seq);
    out.put("logHead", log.head());
    ArrayNode list = out.putArray("edges");
    boolean everywhere = true;
    for (EdgeRegistry.Applied a : edges.status(seq)) {
      ObjectNode e = list.addObject();
      e.put("edge", a.edge());
      e.put("appliedSeq", a.appliedSeq());
      e.put("applied", a.applied());
      if (a.appliedAt() != null) {
        e.put("appliedAt", Instant.ofEpochMilli(a.appliedAt()).toString());
      } else {
        e.putNull("appliedAt");
      }
      e.put("lastReportAt", Instant.ofEpochMilli(a.lastReportAt()).toString());
      everywhere &= a.applied();
    }
    out.put("appliedEverywhere", everywhere && !list.isEmpty());
    Responses.json(ex, 200, out);
  }

}
