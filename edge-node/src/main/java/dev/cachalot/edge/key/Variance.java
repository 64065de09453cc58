package dev.cachalot.edge.key;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The request values a stored response was selected by (RFC 9111 §4.1): the fields its {@code Vary} nominates,
 * normalised only where the spec allows (list whitespace, repeated lines, case of case-insensitive fields).
 *
 * @param names lower-case field names from {@code Vary}, in order, without duplicates
 * @param values normalised request values, null where the request lacked the field
 */
public record Variance(String[] names, @Nullable String[] values) {
  public static final Variance NONE = new Variance(new String[0], new String[0]);

  /** Fields whose values are case-insensitive tokens, so lower-casing them is allowed. */
  private static final Set<String> CASE_INSENSITIVE = Set.of("accept-encoding", "accept-language", "accept-charset");

  /** Field names from a {@code Vary} value; empty for none. */
  public static String[] names(@Nullable String vary) {
    if (vary == null || vary.isBlank()) {
      return new String[0];
    }
    Set<String> names = new LinkedHashSet<>();
    for (String part : vary.split(",")) {
      String n = part.trim().toLowerCase(Locale.ROOT);
      if (!n.isEmpty()) {
        names.add(n);
      }
    }
    return names.toArray(new String[0]);
  }

  /** The variance of a request for the given names; {@code joinedField} returns all lines of a field joined. */
  public static Variance of(String[] names, Function<String, @Nullable String> joinedField) {
    if (names.length == 0) {
      return NONE;
    }
    @Nullable String[] values = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      values[i] = normalise(names[i], joinedField.apply(names[i]));
    }
    return new Variance(names, values);
  }

  /** Does a request match this stored variance? Fields absent from both match. */
  public boolean matches(Function<String, @Nullable String> joinedField) {
    for (int i = 0; i < names.length; i++) {
      String v = normalise(names[i], joinedField.apply(names[i]));
      if (v == null ? values[i] != null : !v.equals(values[i])) {
        return false;
      }
    }
    return true;
  }

  public boolean sameAs(Variance other) {
    return java.util.Arrays.equals(names, other.names) && java.util.Arrays.equals(values, other.values);
  }

  static @Nullable String normalise(String name, @Nullable String value) {
    if (value == null) {
      return null;
    }
    List<String> members = new ArrayList<>();
    for (String m : value.split(",")) {
      String t = m.trim();
      if (t.indexOf(';') >= 0) { // parameters: "gzip ; q=1" and "gzip;q=1" are the same member
        t = t.replaceAll("\\s*;\\s*", ";");
      }
      if (!t.isEmpty()) {
        members.add(t);
      }
    }
    String joined = String.join(",", members);
    return CASE_INSENSITIVE.contains(name) ? joined.toLowerCase(Locale.ROOT) : joined;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Variance v && sameAs(v);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(names) * 31 + java.util.Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Variance" + java.util.Arrays.toString(names) + "=" + java.util.Arrays.toString(values);
  }
}
