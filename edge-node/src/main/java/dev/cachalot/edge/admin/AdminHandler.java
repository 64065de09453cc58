package dev.cachalot.edge.admin;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz}: the process is up (200). {@code /readyz}: the edge can serve (200), or not yet (503), so a
 * load balancer only sends traffic to a node whose cache tiers are open.
 */
public final class AdminHandler implements HttpHandler {
  private final BooleanSupplier ready;

  public AdminHandler(BooleanSupplier ready) {
    this.ready = ready;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) {
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    switch (ex.getRequestPath()) {
      case "/healthz" -> ex.getResponseSender().send("ok\n");
      case "/readyz" -> {
        boolean ok = ready.getAsBoolean();
        ex.setStatusCode(ok ? 200 : 503);
        ex.getResponseSender().send(ok ? "ready\n" : "not ready\n");
      }
      default -> {
        ex.setStatusCode(404);
        ex.getResponseSender().send("not found: try /healthz or /readyz\n");
      }
    }
  }
}
