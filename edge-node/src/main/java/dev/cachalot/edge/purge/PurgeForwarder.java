package dev.cachalot.edge.purge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The {@code PURGE} method on an edge URL (the Varnish and Squid convention): sent on to the purge service as
 * {@code POST /v1/purge {"urls": [URL]}} with the client's own {@code Authorization}, so the same tokens, scopes and
 * log apply and every edge purges, not just this one. {@code Soft-Purge: 1} (or Fastly's {@code Fastly-Soft-Purge})
 * makes it soft. The service's answer is relayed as is.
 */
public final class PurgeForwarder implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType APPLICATION_JSON = MediaType.get("application/json");

  private final java.net.URI service;
  private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();

  public PurgeForwarder(java.net.URI service) {
    this.service = service;
  }

  /** Runs the call on a worker thread; {@code url} is the absolute URL the client asked to purge. */
  public void forward(HttpServerExchange ex, String url) {
    if (ex.isInIoThread()) {
      ex.dispatch(() -> forward(ex, url));
      return;
    }
    ObjectNode body = JSON.createObjectNode();
    body.putArray("urls").add(url);
    String soft = ex.getRequestHeaders().getFirst("Soft-Purge");
    if (soft == null) {
      soft = ex.getRequestHeaders().getFirst("Fastly-Soft-Purge");
    }
    body.put("soft", "1".equals(soft) || "true".equalsIgnoreCase(soft));
    Request.Builder b = new Request.Builder()
        .url(service.toString().replaceAll("/+$", "") + "/v1/purge")
        .post(RequestBody.create(body.toString(), APPLICATION_JSON));
    String auth = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (auth != null) {
      b.header("Authorization", auth);
    }
    try (Response r = http.newCall(b.build()).execute()) {
      ex.setStatusCode(r.code());
      String type = r.header("Content-Type");
      ex.getResponseHeaders().put(Headers.CONTENT_TYPE, type == null ? "application/json" : type);
      String retry = r.header("Retry-After");
      if (retry != null) {
        ex.getResponseHeaders().put(Headers.RETRY_AFTER, retry);
      }
      String wwwAuth = r.header("WWW-Authenticate");
      if (wwwAuth != null) {
        ex.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, wwwAuth);
      }
      ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
      ex.getResponseSender().send(r.body().string());
    } catch (IOException e) {
      ex.setStatusCode(503);
      ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
      ex.getResponseSender().send("Service Unavailable: the purge service cannot be reached (" + e.getMessage()
          + "); nothing was purged\n");
    }
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
