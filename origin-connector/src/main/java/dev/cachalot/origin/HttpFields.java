package dev.cachalot.origin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, ordered list of HTTP header fields. Names keep their case; lookups ignore it. Repeated fields are
 * kept as separate lines, as received.
 */
public final class HttpFields {
  /** Hop-by-hop fields (RFC 9110 §7.6.1), never forwarded or stored. */
  public static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
      "trailer", "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization");

  public static final HttpFields EMPTY = new HttpFields(new String[0]);

  private final String[] nameValues;

  private HttpFields(String[] nameValues) {
    this.nameValues = nameValues;
  }

  public static HttpFields of(String... nameValues) {
    if (nameValues.length % 2 != 0) {
      throw new IllegalArgumentException("expected name/value pairs");
    }
    return new HttpFields(nameValues.clone());
  }

  public static Builder builder() {
    return new Builder();
  }

  public int size() {
    return nameValues.length / 2;
  }

  public String name(int i) {
    return nameValues[2 * i];
  }

  public String value(int i) {
    return nameValues[2 * i + 1];
  }

  /** The first value of {@code name}, or null. */
  public @Nullable String get(String name) {
    for (int i = 0; i < nameValues.length; i += 2) {
      if (nameValues[i].equalsIgnoreCase(name)) {
        return nameValues[i + 1];
      }
    }
    return null;
  }

  public List<String> getAll(String name) {
    List<String> out = new ArrayList<>(2);
    for (int i = 0; i < nameValues.length; i += 2) {
      if (nameValues[i].equalsIgnoreCase(name)) {
        out.add(nameValues[i + 1]);
      }
    }
    return out;
  }

  /** All lines of {@code name} joined with ", " (RFC 9110 §5.3), or null when absent. */
  public @Nullable String joined(String name) {
    String first = null;
    StringBuilder sb = null;
    for (int i = 0; i < nameValues.length; i += 2) {
      if (nameValues[i].equalsIgnoreCase(name)) {
        if (first == null) {
          first = nameValues[i + 1];
        } else {
          if (sb == null) {
            sb = new StringBuilder(first);
          }
          sb.append(", ").append(nameValues[i + 1]);
        }
      }
    }
    return sb != null ? sb.toString() : first;
  }

  public boolean contains(String name) {
    return get(name) != null;
  }

  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < nameValues.length; i += 2) {
      action.accept(nameValues[i], nameValues[i + 1]);
    }
  }

  /** Without hop-by-hop fields and without the fields that {@code Connection} names. */
  public HttpFields withoutHopByHop() {
    String connection = joined("Connection");
    Set<String> extra = Set.of();
    if (connection != null) {
      var names = new java.util.HashSet<String>();
      for (String token : connection.split(",")) {
        names.add(token.trim().toLowerCase(Locale.ROOT));
      }
      extra = names;
    }
    Builder b = new Builder();
    for (int i = 0; i < nameValues.length; i += 2) {
      String lower = nameValues[i].toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(lower) && !extra.contains(lower)) {
        b.add(nameValues[i], nameValues[i + 1]);
      }
    }
    return b.build();
  }

  /** A copy without any line whose name is in {@code lowerCaseNames}. */
  public HttpFields without(Set<String> lowerCaseNames) {
    Builder b = new Builder();
    for (int i = 0; i < nameValues.length; i += 2) {
      if (!lowerCaseNames.contains(nameValues[i].toLowerCase(Locale.ROOT))) {
        b.add(nameValues[i], nameValues[i + 1]);
      }
    }
    return b.build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.list.addAll(Arrays.asList(nameValues));
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpFields f && Arrays.equals(nameValues, f.nameValues);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(nameValues);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    forEach((n, v) -> sb.append(n).append(": ").append(v).append('\n'));
    return sb.toString();
  }

  /** Builds an {@link HttpFields}. */
  public static final class Builder {
    private final List<String> list = new ArrayList<>();

    public Builder add(String name, String value) {
      list.add(name);
      list.add(value);
      return this;
    }

    /** Replaces every line of {@code name} with one line. */
    public Builder set(String name, String value) {
      remove(name);
      return add(name, value);
    }

    public Builder remove(String name) {
      for (int i = list.size() - 2; i >= 0; i -= 2) {
        if (list.get(i).equalsIgnoreCase(name)) {
          list.remove(i + 1);
          list.remove(i);
        }
      }
      return this;
    }

    public HttpFields build() {
      return new HttpFields(list.toArray(new String[0]));
    }
  }
}
