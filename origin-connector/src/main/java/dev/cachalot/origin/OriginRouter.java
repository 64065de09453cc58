package dev.cachalot.origin;

import dev.cachalot.config.OriginConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Sends each request to the origin its Host (and path) is routed to. Routes are {@code host}, {@code *.domain} or
 * {@code *}, each optionally with a path prefix; the most specific wins: an exact host over a wildcard, then the
 * longest path prefix. A request no route matches has no origin, and the edge refuses it: there is no default
 * origin unless one is configured with {@code *}.
 */
public final class OriginRouter implements OriginClient {
  private record Route(String host, String pathPrefix, String origin, OriginClient client) {
    boolean matches(String h, String path) {
      boolean hostOk = host.equals("*") || host.equals(h)
          || (host.startsWith("*.") && h.endsWith(host.substring(1)));
      return hostOk && path.startsWith(pathPrefix);
    }

    int hostRank() {
      return host.equals("*") ? 0 : host.startsWith("*.") ? host.length() : 1000 + host.length();
    }
  }

  private final List<Route> routes;
  private final List<OriginClient> clients;
  /** The single-origin setup: every request goes to it, with no matching on the hot path. */
  private final @Nullable Route catchAll;

  OriginRouter(List<OriginConfig> origins, List<OriginClient> clients) {
    List<Route> r = new ArrayList<>();
    for (int i = 0; i < origins.size(); i++) {
      OriginConfig o = origins.get(i);
      for (String pattern : o.hosts()) {
        int slash = pattern.indexOf('/');
        String host = slash < 0 ? pattern : pattern.substring(0, slash);
        String prefix = slash < 0 ? "/" : pattern.substring(slash);
        r.add(new Route(host.toLowerCase(Locale.ROOT), prefix, o.name(), clients.get(i)));
      }
    }
    r.sort(Comparator.comparingInt(Route::hostRank).thenComparingInt(x -> x.pathPrefix().length()).reversed());
    this.routes = List.copyOf(r);
    this.clients = List.copyOf(clients);
    Route only = routes.size() == 1 ? routes.get(0) : null;
    this.catchAll = only != null && only.host().equals("*") && only.pathPrefix().equals("/") ? only : null;
  }

  /** The name of the origin serving this Host (port ignored) and target, or null when none does. */
  public @Nullable String originFor(String host, String target) {
    Route r = route(host, target);
    return r == null ? null : r.origin();
  }

  private @Nullable Route route(String host, String target) {
    if (catchAll != null) {
      return catchAll;
    }
    String h = hostOnly(host);
    for (Route r : routes) {
      if (r.matches(h, target)) {
        return r;
      }
    }
    return null;
  }

  @Override
  public CompletableFuture<OriginResponse> fetch(OriginRequest request) {
    Route r = route(request.host(), request.target());
    if (r == null) {
      return CompletableFuture.failedFuture(new OriginException(OriginException.Kind.STATUS_4XX, false,
          "no origin for host '" + request.host() + "'"));
    }
    return r.client().fetch(request);
  }

  /** Each origin's breaker and bulkhead state. */
  public List<OriginHealth> health() {
    List<OriginHealth> out = new ArrayList<>();
    for (OriginClient c : clients) {
      if (c instanceof ResilientOriginClient rc) {
        out.add(rc.health());
      }
    }
    return out;
  }

  @Override
  public void close() {
    clients.forEach(OriginClient::close);
  }

  /** A Host field lower-cased without its port ({@code [::1]:80} → {@code [::1]}). */
  public static String hostOnly(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.lastIndexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }
}
