package dev.cachalot.purge.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.List;

/** JSON answers; errors are {@code {"error": "...", "problems": [...]}}. */
final class Responses {
  private Responses() {}

  static void json(HttpServerExchange ex, int status, Object body) {
    String text;
    try {
      text = PublisherApi.JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      status = 500;
      text = "{\"error\":\"cannot write JSON\"}";
    }
    ex.setStatusCode(status);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    ex.getResponseSender().send(text + "\n");
  }

  static void error(HttpServerExchange ex, int status, String message) {
    errors(ex, status, List.of(message));
  }

  static void errors(HttpServerExchange ex, int status, List<String> problems) {
    ObjectNode o = PublisherApi.JSON.createObjectNode();
    o.put("error", problems.get(0));
    problems.forEach(o.putArray("problems")::add);
    json(ex, status, o);
  }
}
