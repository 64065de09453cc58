package dev.cachalot.edge.tier;

import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.origin.HttpFields;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of a {@link CacheEntry} in the mapped tier. Layout (big-endian):
 *
 * <pre>
 *   0  int    magic 'CACH'
 *   4  short  format version ({@link #VERSION})
 *   6  short  reserved
 *   8  int    CRC32C of bytes [12, end)
 *  12  int    hash of the key URL (read by eviction without decoding the rest)
 *  16  string key URL, then short variant count, then per variant: status, stored-at, freshness,
 *      variance, fields, surrogate keys, body
 * </pre>
 *
 * Decoding verifies the magic, the version, the checksum and the key; any mismatch is a {@link CorruptEntryException}.
 */
final class StoredForm {
  static final int MAGIC = 0x43414348;
  static final short VERSION = 1;
  static final int URL_HASH_OFFSET = 12;
  private static final int HEADER = 16;

  private StoredForm() {}

  /** Thrown when stored bytes are not a valid entry for the key: they are dropped and counted, never served. */
  static final class CorruptEntryException extends Exception {
    private static final long serialVersionUID = 1L;

    CorruptEntryException(String message) {
      super(message);
    }
  }

  static byte[] encode(CacheKey key, CacheEntry entry) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER + 512 + (int) Math.min(entry.weight(), 1 << 30));
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.writeShort(VERSION);
      out.writeShort(0);
      out.writeInt(0); // checksum, patched below
      out.writeInt(key.url().hashCode());
      writeString(out, key.url());
      out.writeShort(entry.variants().size());
      for (StoredResponse r : entry.variants()) {
        out.writeShort(r.status());
        out.writeLong(r.storedAtMillis());
        Freshness f = r.freshness();
        out.writeLong(f.lifetimeMillis());
        out.writeLong(f.initialAgeMillis());
        out.writeLong(f.responseTimeMillis());
        out.writeLong(f.staleWhileRevalidateMillis());
        out.writeLong(f.staleIfErrorMillis());
        out.writeInt(f.flags());
        String[] names = r.variance().names();
        out.writeShort(names.length);
        for (int i = 0; i < names.length; i++) {
          writeString(out, names[i]);
          String value = r.variance().values()[i];
          out.writeBoolean(value != null);
          if (value != null) {
            writeString(out, value);
          }
        }
        HttpFields h = r.headers();
        out.writeShort(h.size());
        for (int i = 0; i < h.size(); i++) {
          writeString(out, h.name(i));
          writeString(out, h.value(i));
        }
        out.writeShort(r.surrogateKeys().size());
        for (String k : r.surrogateKeys()) {
          writeString(out, k);
        }
        out.writeInt(r.bodyLength());
        out.write(r.bodyArray(), r.bodyOffset(), r.bodyLength());
      }
      out.flush();
      byte[] result = bytes.toByteArray();
      CRC32C crc = new CRC32C();
      crc.update(result, URL_HASH_OFFSET, result.length - URL_HASH_OFFSET);
      ByteBuffer.wrap(result).putInt(8, (int) crc.getValue());
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
  }

  static CacheEntry decode(byte[] bytes, CacheKey expected) throws CorruptEntryException {
    return decode(ByteBuffer.wrap(bytes), expected, null);
  }

  /** Decodes a value copied into a lent buffer; the bodies stay in it (valid until the lease is released). */
  static CacheEntry decode(BodyPool.Lease lease, CacheKey expected) throws CorruptEntryException {
    return decode(lease.buffer().duplicate(), expected, lease);
  }

  /** {@code in}: the value from position 0 to its limit; bodies are slices of it, not copies. */
  private static CacheEntry decode(ByteBuffer in, CacheKey expected, BodyPool.@Nullable Lease lease)
      throws CorruptEntryException {
    try {
      int size = in.limit();
      if (size < HEADER || in.getInt() != MAGIC) {
        throw new CorruptEntryException("bad magic");
      }
      short version = in.getShort();
      if (version != VERSION) {
        throw new CorruptEntryException("format version " + version + ", expected " + VERSION);
      }
      in.getShort();
      int stored = in.getInt();
      CRC32C crc = new CRC32C();
      crc.update(in.duplicate().position(URL_HASH_OFFSET));
      if ((int) crc.getValue() != stored) {
        throw new CorruptEntryException("checksum mismatch");
      }
      in.getInt();
      String url = readString(in);
      if (!url.equals(expected.url())) {
        throw new CorruptEntryException("entry is for another key");
      }
      int count = in.getShort();
      if (count < 1 || count > CacheEntry.MAX_VARIANTS) {
        throw new CorruptEntryException("bad variant count " + count);
      }
      List<StoredResponse> variants = new ArrayList<>(count);
      for (int v = 0; v < count; v++) {
        variants.add(readResponse(in, lease));
      }
      if (in.hasRemaining()) {
        throw new CorruptEntryException("trailing bytes");
      }
      if (lease != null) {
        return CacheEntry.lent(variants, lease);
      }
      CacheEntry entry = null;
      for (int v = variants.size() - 1; v >= 0; v--) { // oldest first, so the newest ends up first
        entry = entry == null ? CacheEntry.of(variants.get(v)) : entry.with(variants.get(v));
      }
      if (entry == null) {
        throw new CorruptEntryException("no variants");
      }
      return entry;
    } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
      throw new CorruptEntryException("truncated or malformed: " + e);
    }
  }

  private static StoredResponse readResponse(ByteBuffer in, BodyPool.@Nullable Lease lease)
      throws CorruptEntryException {
    int status = in.getShort();
    long storedAt = in.getLong();
    Freshness f = new Freshness(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getInt());
    int nameCount = in.getShort();
    String[] names = new String[nameCount];
    @Nullable String[] values = new String[nameCount];
    for (int i = 0; i < nameCount; i++) {
      names[i] = readString(in);
      values[i] = in.get() != 0 ? readString(in) : null;
    }
    int headerCount = in.getShort();
    HttpFields.Builder h = HttpFields.builder();
    for (int i = 0; i < headerCount; i++) {
      h.add(readString(in), readString(in));
    }
    int keys = in.getShort();
    for (int i = 0; i < keys; i++) {
      readString(in); // derived again from the fields; stored for tools that read the files
    }
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new CorruptEntryException("bad body length " + length);
    }
    int offset = in.position();
    in.position(offset + length); // the body stays where it is: a slice, not a second copy
    Variance variance = nameCount == 0 ? Variance.NONE : new Variance(names, values);
    return lease != null
        ? new StoredResponse(status, h.build(), lease, offset, length, f, variance, storedAt)
        : new StoredResponse(status, h.build(), in.array(), offset, length, f, variance, storedAt);
  }

  /** The key URL's hash, read from the header without decoding (for eviction). */
  static int urlHash(byte[] bytes) {
    return bytes.length < HEADER ? 0 : ByteBuffer.wrap(bytes).getInt(URL_HASH_OFFSET);
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(ByteBuffer in) {
    int n = in.getInt();
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException("bad string length " + n);
    }
    String s = new String(bytes(in, n), StandardCharsets.UTF_8);
    return s;
  }

  private static byte[] bytes(ByteBuffer in, int n) {
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }
}
