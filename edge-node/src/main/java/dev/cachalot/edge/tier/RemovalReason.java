package dev.cachalot.edge.tier;

/** Why an entry left a tier. */
public enum RemovalReason {
  /** Made room for others. */
  EVICTED,
  /** An unsafe request or a purge invalidated it. */
  INVALIDATED,
  /** Found damaged (checksum mismatch) and dropped. */
  CORRUPT,
}
