package dev.cachalot.edge.http;

import io.undertow.server.HttpServerExchange;

/**
 * One step of the cache path. Like Undertow's {@code HttpHandler}, but the request's state is passed along
 * directly (an exchange attachment costs a map lookup per stage per request).
 */
public interface EdgeStage {
  void handle(HttpServerExchange ex, EdgeExchange ctx) throws Exception;
}
