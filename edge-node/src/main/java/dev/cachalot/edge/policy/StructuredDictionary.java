package dev.cachalot.edge.policy;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Just enough of RFC 8941 dictionaries for targeted cache fields: keys are lower-case tokens, values integers,
 * tokens, strings or booleans, parameters ignored. Returns null for anything malformed, so that the whole field
 * is ignored (RFC 9213 §2.1).
 */
final class StructuredDictionary {
  private StructuredDictionary() {}

  /** Members as {name, value-or-null}; a boolean true or a non-integer value gives null. */
  static @Nullable List<String[]> parse(String input) {
    List<String[]> out = new ArrayList<>();
    String s = input.trim();
    int i = 0;
    int n = s.length();
    if (n == 0) {
      return null;
    }
    while (i < n) {
      int ks = i;
      if (!isKeyStart(s.charAt(i))) {
        return null;
      }
      while (i < n && isKeyChar(s.charAt(i))) {
        i++;
      }
      String key = s.substring(ks, i);
      String value = null;
      if (i < n && s.charAt(i) == '=') {
        i++;
        if (i >= n) {
          return null;
        }
        char c = s.charAt(i);
        if (c == '"') {
          int end = s.indexOf('"', i + 1);
          if (end < 0) {
            return null;
          }
          i = end + 1;
          value = "";
        } else if (c == '-' || Character.isDigit(c)) {
          int vs = i;
          i++;
          while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
          }
          value = s.substring(vs, i);
          if (value.contains(".") || value.startsWith("-")) {
            value = "x"; // decimals and negatives are valid SF, but not valid delta-seconds
          }
        } else if (c == '?') {
          if (i + 1 >= n || (s.charAt(i + 1) != '0' && s.charAt(i + 1) != '1')) {
            return null;
          }
          i += 2;
        } else if (Character.isLetter(c) || c == '*') {
          while (i < n && " ,;".indexOf(s.charAt(i)) < 0) {
            i++;
          }
          value = "";
        } else {
          return null;
        }
      }
      while (i < n && s.charAt(i) == ';') { // parameters: skip
        i++;
        while (i < n && s.charAt(i) != ';' && s.charAt(i) != ',') {
          i++;
        }
      }
      out.add(new String[] {key, value});
      while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
        i++;
      }
      if (i < n) {
        if (s.charAt(i) != ',') {
          return null;
        }
        i++;
        while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
          i++;
        }
        if (i >= n) {
          return null; // trailing comma
        }
      }
    }
    return out;
  }

  private static boolean isKeyStart(char c) {
    return (c >= 'a' && c <= 'z') || c == '*';
  }

  private static boolean isKeyChar(char c) {
    return isKeyStart(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  }
}
