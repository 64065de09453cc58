package dev.cachalot.purge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A publisher's {@code POST /v1/purge} body, validated. Every problem is reported with its JSON path.
 *
 * <pre>
 * {"urls": ["https://img.example.com/a.jpg"], "prefixes": ["https://img.example.com/2024/"],
 *  "tags": ["album-7"], "hosts": ["img.example.com"], "all": false, "soft": false}
 * </pre>
 *
 * {@code urls} and {@code prefixes} are absolute http(s) URLs; {@code tags} and {@code all} apply to the listed
 * {@code hosts}.
 */
public record PurgeRequest(List<String> urls, List<String> prefixes, List<String> tags, List<String> hosts,
    boolean all, boolean soft) {
  static final int MAX_ITEMS = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a token must be allowed to do. */
  public enum Kind { URL, PREFIX, TAG, ALL }

  /** A body that cannot be accepted; {@code problems} name JSON paths. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    Invalid(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  public static PurgeRequest parse(byte[] body) throws Invalid {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new Invalid(List.of("$: not valid JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new Invalid(List.of("$: cannot read the body: " + e.getMessage()));
    }
    List<String> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new Invalid(List.of("$: must be a JSON object"));
    }
    root.fieldNames().forEachRemaining(f -> {
      if (!Set.of("urls", "prefixes", "tags", "hosts", "all", "soft").contains(f)) {
        problems.add("$." + f + ": unknown field (expected urls, prefixes, tags, hosts, all, soft)");
      }
    });
    List<String> urls = urlList(root, "urls", problems);
    List<String> prefixes = urlList(root, "prefixes", problems);
    List<String> tags = strings(root, "tags", problems);
    for (int i = 0; i < tags.size(); i++) {
      if (tags.get(i).isBlank() || tags.get(i).chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
        problems.add("$.tags[" + i + "]: a tag is one token without spaces");
      }
    }
    List<String> hosts = new ArrayList<>();
    List<String> rawHosts = strings(root, "hosts", problems);
    for (int i = 0; i < rawHosts.size(); i++) {
      String h = rawHosts.get(i).toLowerCase(Locale.ROOT);
      if (!h.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?")) {
        problems.add("$.hosts[" + i + "]: not a host name: '" + rawHosts.get(i) + "'");
      } else {
        hosts.add(h.contains(":") ? h.substring(0, h.indexOf(':')) : h);
      }
    }
    boolean all = bool(root, "all", problems);
    boolean soft = bool(root, "soft", problems);
    if ((all || !tags.isEmpty()) && hosts.isEmpty() && !root.has("hosts")) {
      problems.add("$.hosts: required with tags or all: the hosts the purge applies to");
    }
    if (urls.isEmpty() && prefixes.isEmpty() && tags.isEmpty() && !all && problems.isEmpty()) {
      problems.add("$: nothing to purge: give urls, prefixes, tags (with hosts) or all (with hosts)");
    }
    if (urls.size() + prefixes.size() + tags.size() + hosts.size() > MAX_ITEMS) {
      problems.add("$: at most " + MAX_ITEMS + " urls, prefixes, tags and hosts in one purge");
    }
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    return new PurgeRequest(urls, prefixes, tags, hosts, all, soft);
  }

  private static List<String> strings(JsonNode root, String field, List<String> problems) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      problems.add("$." + field + ": must be a list of strings");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      if (!n.get(i).isTextual()) {
        problems.add("$." + field + "[" + i + "]: must be a string");
      } else {
        out.add(n.get(i).asText());
      }
    }
    return out;
  }

  private static List<String> urlList(JsonNode root, String field, List<String> problems) {
    List<String> raw = strings(root, field, problems);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String u = raw.get(i);
      try {
        URI uri = new URI(u);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
            || uri.getRawPath() == null || !uri.getRawPath().startsWith("/") || uri.getRawFragment() != null) {
          problems.add("$." + field + "[" + i + "]: must be an absolute http(s) URL with a path: '" + u + "'");
          continue;
        }
        out.add(u);
      } catch (URISyntaxException e) {
        problems.add("$." + field + "[" + i + "]: not a URL: " + e.getReason());
      }
    }
    return out;
  }

  private static boolean bool(JsonNode root, String field, List<String> problems) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return false;
    }
    if (!n.isBoolean()) {
      problems.add("$." + field + ": must be true or false");
      return false;
    }
    return n.asBoolean();
  }

  /** Every host the purge touches, lower-case without port (for the token's scope). */
  public Set<String> touchedHosts() {
    Set<String> out = new LinkedHashSet<>(hosts);
    for (String u : urls) {
      out.add(host(u));
    }
    for (String u : prefixes) {
      out.add(host(u));
    }
    return out;
  }

  static String host(String url) {
    return URI.create(url).getHost().toLowerCase(Locale.ROOT);
  }

  public Set<Kind> kinds() {
    Set<Kind> k = new LinkedHashSet<>();
    if (!urls.isEmpty()) {
      k.add(Kind.URL);
    }
    if (!prefixes.isEmpty()) {
      k.add(Kind.PREFIX);
    }
    if (!tags.isEmpty()) {
      k.add(Kind.TAG);
    }
    if (all) {
      k.add(Kind.ALL);
    }
    return k;
  }

  /** The log payload (wire contract: contract/purge-v1/record.json without seq and id). */
  public byte[] toPayload(long acceptedAtMillis, String by) {
    ObjectNode o = JSON.createObjectNode();
    o.put("acceptedAt", acceptedAtMillis);
    o.put("by", by);
    o.put("soft", soft);
    array(o.putArray("urls"), urls);
    array(o.putArray("prefixes"), prefixes);
    array(o.putArray("tags"), tags);
    array(o.putArray("hosts"), hosts);
    o.put("all", all);
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void array(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}
