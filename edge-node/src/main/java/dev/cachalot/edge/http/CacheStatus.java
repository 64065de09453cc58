package dev.cachalot.edge.http;

import org.jspecify.annotations.Nullable;

/** Builds a {@code Cache-Status} field value (RFC 9211), e.g. {@code cachalot; fwd=miss; stored}. */
final class CacheStatus {
  private final StringBuilder sb;

  private CacheStatus(String name) {
    this.sb = new StringBuilder(48).append(name);
  }

  static CacheStatus hit(String name) {
    CacheStatus s = new CacheStatus(name);
    s.sb.append("; hit");
    return s;
  }

  /** Forwarded: {@code reason} is one of bypass, method, uri-miss, vary-miss, miss, request, stale. */
  static CacheStatus fwd(String name, String reason) {
    CacheStatus s = new CacheStatus(name);
    s.sb.append("; fwd=").append(reason);
    return s;
  }

  static CacheStatus plain(String name) {
    return new CacheStatus(name);
  }

  CacheStatus fwdStatus(int status) {
    sb.append("; fwd-status=").append(status);
    return this;
  }

  CacheStatus ttl(long ttlMillis) {
    sb.append("; ttl=").append(Math.floorDiv(ttlMillis, 1000));
    return this;
  }

  CacheStatus stored() {
    sb.append("; stored");
    return this;
  }

  CacheStatus collapsed(boolean collapsed) {
    if (collapsed) {
      sb.append("; collapsed");
    }
    return this;
  }

  CacheStatus detail(@Nullable String detail) {
    if (detail != null) {
      sb.append("; detail=").append(detail);
    }
    return this;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
