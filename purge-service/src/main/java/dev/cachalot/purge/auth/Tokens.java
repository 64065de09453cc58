package dev.cachalot.purge.auth;

import dev.cachalot.config.PurgeTokenConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Publisher tokens. A presented token is hashed (SHA-256) and looked up by its hash, so no comparison ever runs
 * over the secret itself, and the time taken says nothing about how close a guess was. Tokens are never logged:
 * only their names are.
 */
public final class Tokens {
  private final Map<String, PurgeTokenConfig> byHash = new HashMap<>();
  private final Map<String, RateLimiter> limits = new HashMap<>();

  public Tokens(List<PurgeTokenConfig> tokens) {
    for (PurgeTokenConfig t : tokens) {
      byHash.put(sha256(t.token()), t);
      limits.put(t.name(), new RateLimiter(t.ratePerSecond(), t.burst()));
    }
  }

  /** The token an {@code Authorization: Bearer ...} field names, or null when missing or unknown. */
  public @Nullable PurgeTokenConfig authenticate(@Nullable String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return byHash.get(sha256(authorization.substring(7).trim()));
  }

  /** Seconds to wait before the token may send again, or 0 to go ahead (and a permit was taken). */
  public long retryAfterSeconds(PurgeTokenConfig token) {
    RateLimiter r = limits.get(token.name());
    return r == null ? 0 : r.tryAcquire();
  }

  /** {@code host}, {@code *.domain} and {@code *} scopes. */
  public static boolean allows(PurgeTokenConfig token, String host) {
    String h = host.toLowerCase(Locale.ROOT);
    for (String scope : token.hosts()) {
      if (scope.equals("*") || scope.equals(h) || (scope.startsWith("*.") && h.endsWith(scope.substring(1)))) {
        return true;
      }
    }
    return false;
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
