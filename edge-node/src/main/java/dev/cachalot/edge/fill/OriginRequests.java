package dev.cachalot.edge.fill;

import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpDates;
import dev.cachalot.origin.HttpFields;
import dev.cachalot.origin.OriginRequest;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Builds what is sent to the origin from what the client sent. */
public final class OriginRequests {
  /** The client's own preconditions and ranges are answered from the stored response, not forwarded on a fill. */
  private static final Set<String> CLIENT_CONDITIONALS = Set.of("if-none-match", "if-modified-since", "if-match",
      "if-unmodified-since", "if-range", "range");

  private OriginRequests() {}

  /**
   * A GET that fetches a whole representation for the cache: the client's fields without hop-by-hop fields or
   * its own conditionals, plus our validators when revalidating {@code candidate}.
   */
  public static OriginRequest forFill(String target, String host, HttpFields client, @Nullable StoredResponse candidate,
      String via) {
    HttpFields.Builder b = client.withoutHopByHop().without(CLIENT_CONDITIONALS).toBuilder();
    if (candidate != null) {
      if (candidate.etag() != null) {
        b.add("If-None-Match", candidate.etag());
      }
      String lastModified = candidate.headers().get("Last-Modified");
      if (lastModified != null && candidate.lastModifiedMillis() != HttpDates.INVALID) {
        b.add("If-Modified-Since", lastModified);
      }
    }
    addVia(b, client, via);
    return OriginRequest.get(target, host, b.build());
  }

  /** The client's request as it is (method, fields, body), less hop-by-hop fields. */
  @SuppressWarnings("NullAway") // OriginRequest's body is byte @Nullable []; NullAway 0.12 misreads it on records
  public static OriginRequest forPass(String method, String target, String host, HttpFields client,
      byte @Nullable [] body, String via) {
    HttpFields.Builder b = client.withoutHopByHop().toBuilder();
    addVia(b, client, via);
    return new OriginRequest(method, target, host, b.build(), body);
  }

  private static void addVia(HttpFields.Builder b, HttpFields client, String via) {
    String existing = client.joined("Via");
    b.set("Via", existing == null ? "1.1 " + via : existing + ", 1.1 " + via);
  }
}
