package dev.cachalot.bench.purge;

import dev.cachalot.config.CacheConfig;
import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.HostPort;
import dev.cachalot.config.OriginConfig;
import dev.cachalot.config.PurgeFollowConfig;
import dev.cachalot.config.ServerConfig;
import dev.cachalot.edge.EdgeNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Purge propagation latency: from the purge service's 202 to the purge being applied on every one of N edges on
 * loopback. The purge service must be running (bin/cachalot purge-service); edges run in this JVM and follow it
 * exactly as in production (long-poll over HTTP).
 *
 * <pre>
 * CLASS=dev.cachalot.bench.purge.PurgePropagation benchmarks/run-jmh.sh http://127.0.0.1:8091 TOKEN [edges] [purges]
 * </pre>
 */
public final class PurgePropagation {
  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

  private PurgePropagation() {}

  public static void main(String[] args) throws Exception {
    String service = args[0];
    String token = args[1];
    int edgeCount = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int purges = args.length > 3 ? Integer.parseInt(args[3]) : 500;
    Path origin = Files.createTempDirectory("cachalot-purge-bench");
    List<EdgeNode> edges = new ArrayList<>();
    for (int i = 0; i < edgeCount; i++) {
      EdgeConfig c = new EdgeConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0),
          OriginConfig.of(origin.toUri().toString()), CacheConfig.defaults(), new ServerConfig(1, 1 << 20, "cachalot"))
          .withPurge(new PurgeFollowConfig(URI.create(service), "bench-edge-" + i, null, Duration.ofSeconds(5),
              PurgeFollowConfig.Unreachable.REVALIDATE));
      edges.add(EdgeNode.start(c));
    }
    HttpClient http = HttpClient.newHttpClient();
    long[] micros = new long[purges];
    try {
      for (int i = 0; i < purges + 50; i++) {
        String body = "{\"urls\": [\"https://img.example.com/bench/" + i + ".jpg\"]}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(service + "/v1/purge"))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        long acked = System.nanoTime();
        if (r.statusCode() != 202) {
          throw new IOException("purge answered " + r.statusCode() + ": " + r.body());
        }
        Matcher m = SEQ.matcher(r.body());
        long seq = m.find() ? Long.parseLong(m.group(1)) : -1;
        while (!appliedEverywhere(edges, seq)) {
          LockSupport.parkNanos(20_000);
        }
        if (i >= 50) { // the first 50 warm up the JIT and the connections
          micros[i - 50] = (System.nanoTime() - acked) / 1000;
        }
      }
    } finally {
      edges.forEach(EdgeNode::close);
    }
    Arrays.sort(micros);
    System.out.printf("purges=%d edges=%d  202 -> applied on all: p50 %.2f ms  p99 %.2f ms  max %.2f ms%n", purges,
        edgeCount, micros[purges / 2] / 1000.0, micros[(int) (purges * 0.99)] / 1000.0, micros[purges - 1] / 1000.0);
  }

  private static boolean appliedEverywhere(List<EdgeNode> edges, long seq) {
    for (EdgeNode e : edges) {
      var f = e.purgeFollower();
      if (f == null || f.applied() < seq) {
        return false;
      }
    }
    return true;
  }
}
