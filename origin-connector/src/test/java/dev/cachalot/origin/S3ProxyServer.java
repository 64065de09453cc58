package dev.cachalot.origin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A real S3 API server for tests: S3Proxy (it verifies SigV4 signatures) as a child process on a loopback port,
 * with an in-memory backend. The jar comes from Maven Central through the build ({@code -Ds3proxy.jar}).
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "AKIDCACHALOTTEST";
  public static final String SECRET_KEY = "cachalot-test-secret";
  public static final String REGION = "us-east-1";

  private final Process process;
  private final int port;
  private final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
  private final SigV4Signer signer = new SigV4Signer(ACCESS_KEY, SECRET_KEY, null, REGION, "s3", true);

  private S3ProxyServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts S3Proxy and waits until it accepts connections. */
  public static S3ProxyServer start(Path workDir) throws IOException, InterruptedException {
    String jar = System.getProperty("s3proxy.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("S3Proxy jar not found (-Ds3proxy.jar=" + jar + "); run the tests with Maven");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path props = workDir.resolve("s3proxy.properties");
    Files.writeString(props, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=transient-nio2",
        "jclouds.identity=unused",
        "jclouds.credential=unused",
        "") + "\n");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-Xmx256m", "-jar", jar, "--properties", props.toString())
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve("s3proxy.log").toFile())
        .start();
    S3ProxyServer server = new S3ProxyServer(p, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("S3Proxy exited: " + Files.readString(workDir.resolve("s3proxy.log")));
      }
      try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return server;
      } catch (IOException notYet) {
        p.waitFor(50, TimeUnit.MILLISECONDS); // polls the child, not a sleep: returns early if it dies
      }
    }
    server.close();
    throw new IllegalStateException("S3Proxy did not listen within 60 s");
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public void createBucket(String bucket) throws IOException {
    send("PUT", "/" + bucket, new byte[0], Map.of());
  }

  /** Uploads an object; {@code headers} are stored with it (Cache-Control, Content-Type, x-amz-meta-*). */
  public void put(String bucket, String key, byte[] body, Map<String, String> headers) throws IOException {
    send("PUT", "/" + bucket + "/" + key, body, headers);
  }

  private void send(String method, String path, byte[] body, Map<String, String> headers) throws IOException {
    String host = "127.0.0.1:" + port;
    Map<String, String> signed = new LinkedHashMap<>(headers);
    signed.put("host", host);
    Map<String, String> added = signer.sign(method, path, List.of(), signed, SigV4Signer.sha256Hex(body),
        Instant.now());
    Request.Builder b = new Request.Builder().url(endpoint() + SigV4Signer.encode(path, false))
        .method(method, RequestBody.create(body, null));
    headers.forEach(b::header);
    added.forEach(b::header);
    try (Response r = http.newCall(b.build()).execute()) {
      if (!r.isSuccessful()) {
        throw new IOException(method + " " + path + " -> " + r.code() + ": " + r.body().string());
      }
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
