package dev.cachalot.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads typed values out of a YAML tree by dotted path. Overrides (environment, command line) win over the file.
 * Nothing throws: every problem is collected with its path, and {@link #finish()} throws them all at once.
 */
final class ConfigTree {
  private final JsonNode root;
  private final Map<String, String> overrides;
  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();
  private final Set<String> known = new HashSet<>();

  ConfigTree(JsonNode root, Map<String, String> env, Map<String, String> overrides) {
    this.root = root;
    this.env = env;
    this.overrides = overrides;
  }

  /** The environment variable that overrides {@code path}: {@code cache.memorySize} → {@code CACHALOT_CACHE_MEMORY_SIZE}. */
  static String envName(String path) {
    StringBuilder sb = new StringBuilder("CACHALOT_");
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '.') {
        sb.append('_');
      } else if (Character.isUpperCase(c)) {
        sb.append('_').append(c);
      } else {
        sb.append(Character.toUpperCase(c));
      }
    }
    return sb.toString();
  }

  String string(String path, String fallback) {
    String raw = raw(path);
    return raw == null ? fallback : raw;
  }

  @Nullable String optionalString(String path) {
    return raw(path);
  }

  long size(String path, long fallback, long min, long max) {
    long v = parse(path, fallback, Sizes::parse);
    if (v < min || v > max) {
      problem(path, "must be between " + Sizes.format(min) + " and " + Sizes.format(max) + " (was " + Sizes.format(v) + ")");
    }
    return v;
  }

  Duration duration(String path, Duration fallback, Duration min, Duration max) {
    Duration v = parse(path, fallback, Durations::parse);
    if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
      problem(path, "must be between " + Durations.format(min) + " and " + Durations.format(max)
          + " (was " + Durations.format(v) + ")");
    }
    return v;
  }

  int integer(String path, int fallback, int min, int max) {
    int v = parse(path, fallback, s -> {
      try {
        return Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a whole number: '" + s + "'", e);
      }
    });
    if (v < min || v > max) {
      problem(path, "must be between " + min + " and " + max + " (was " + v + ")");
    }
    return v;
  }

  boolean bool(String path, boolean fallback) {
    return parse(path, fallback, s -> switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException("not true/false: '" + s + "'");
    });
  }

  HostPort hostPort(String path, HostPort fallback) {
    return parse(path, fallback, HostPort::parse);
  }

  /** A YAML list, or a comma-separated string (environment and flags). */
  List<String> list(String path, List<String> fallback) {
    known.add(path);
    String override = override(path);
    if (override != null) {
      return splitList(override);
    }
    JsonNode node = node(path);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (node.isTextual()) {
      return splitList(node.asText());
    }
    if (!node.isArray()) {
      problem(path, "must be a list");
      return fallback;
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isValueNode()) {
        problem(path, "list items must be plain values");
        continue;
      }
      out.add(item.asText());
    }
    return List.copyOf(out);
  }

  /** The keys of the section at {@code path} (empty when absent); environment and flags cannot add keys. */
  List<String> keys(String path) {
    JsonNode node = node(path);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isObject()) {
      problem(path, "must be a section of named entries");
      return List.of();
    }
    known.add(path + ".");
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** Marks a whole section as read, so that a problem already reported for it is not repeated key by key. */
  void skip(String path) {
    known.add(path);
  }

  /** True when {@code path} is set in the file, the environment or the flags. */
  boolean present(String path) {
    if (override(path) != null) {
      return true;
    }
    JsonNode node = node(path);
    return node != null && !node.isNull();
  }

  /** True when no problem was reported yet for any of these paths or below them (so cross-field rules can run). */
  boolean valid(String... paths) {
    for (String p : paths) {
      for (String problem : problems) {
        if (problem.startsWith(p + ":") || problem.startsWith(p + ".")) {
          return false;
        }
      }
    }
    return true;
  }

  void problem(String path, String message) {
    problems.add(path + ": " + message);
  }

  /** Reports keys present in the file that nothing read (typos), then throws if any problem was found. */
  void finish() {
    if (root.isObject()) {
      unknownKeys(root, "");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  private void unknownKeys(JsonNode node, String prefix) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (known.contains(path)) {
        continue;
      }
      if (e.getValue().isObject() && known.stream().anyMatch(k -> k.startsWith(path + "."))) {
        unknownKeys(e.getValue(), path);
      } else {
        problems.add(path + ": unknown key");
      }
    }
  }

  private <T> T parse(String path, T fallback, Function<String, T> parser) {
    String raw = raw(path);
    if (raw == null) {
      return fallback;
    }
    try {
      return parser.apply(raw);
    } catch (IllegalArgumentException e) {
      problem(path, String.valueOf(e.getMessage()));
      return fallback;
    }
  }

  private @Nullable String raw(String path) {
    known.add(path);
    String override = override(path);
    if (override != null) {
      return override;
    }
    JsonNode node = node(path);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isValueNode()) {
      problem(path, "must be a plain value, not a " + (node.isArray() ? "list" : "section"));
      return null;
    }
    return node.asText();
  }

  private @Nullable String override(String path) {
    String flag = overrides.get(path);
    return flag != null ? flag : env.get(envName(path));
  }

  private @Nullable JsonNode node(String path) {
    JsonNode node = root;
    for (String part : path.split("\\.")) {
      if (node == null || !node.isObject()) {
        return null;
      }
      node = node.get(part);
    }
    return node;
  }

  private static List<String> splitList(String s) {
    List<String> out = new ArrayList<>();
    for (String part : s.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return List.copyOf(out);
  }
}
