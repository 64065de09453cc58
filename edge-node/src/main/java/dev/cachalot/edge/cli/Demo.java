package dev.cachalot.edge.cli;

import dev.cachalot.edge.EdgeNode;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * {@code cachalot demo}: an edge on 127.0.0.1:8080 in front of a {@code file:} origin of generated sample photos
 * and a bundled short video, with URLs to try. Origin files and the mapped tier live under
 * {@code $CACHALOT_DEMO_DIR} (default {@code $TMPDIR/cachalot-demo}).
 */
final class Demo {
  static final int PHOTOS = 12;

  private Demo() {}

  static EdgeNode start(Map<String, String> flagOverrides, Map<String, String> env, PrintStream out) {
    Path base = Path.of(env.getOrDefault("CACHALOT_DEMO_DIR", System.getProperty("java.io.tmpdir") + "/cachalot-demo"));
    Path dir = base.resolve("origin");
    try {
      prepareOrigin(dir);
    } catch (IOException | UncheckedIOException e) {
      throw new CliException(1, "cannot prepare the demo origin in " + dir + ": " + e.getMessage());
    }
    Map<String, String> overrides = new HashMap<>();
    overrides.put("listen", "127.0.0.1:8080");
    overrides.put("admin.listen", "127.0.0.1:9090");
    overrides.put("origin.url", dir.toUri().toString());
    overrides.put("origin.fileCacheControl", "public, max-age=60, stale-while-revalidate=30, stale-if-error=3600");
    overrides.put("cache.memorySize", "128MiB");
    overrides.put("tiers.mapped.dir", base.resolve("tier").toString()); // restart the demo: it comes back warm
    overrides.put("tiers.mapped.size", "256MiB");
    String purgeService = env.get("CACHALOT_DEMO_PURGE"); // set by bin/cachalot, which runs the purge service
    if (purgeService != null) {
      overrides.put("purge.service", purgeService);
      overrides.put("purge.edgeId", "demo-edge");
    }
    overrides.putAll(flagOverrides);
    EdgeNode node = Main.startEdge(null, env, overrides);
    String edgeUrl = "http://" + Main.hostPort(node.address());
    String admin = "http://" + Main.hostPort(node.adminAddress());
    out.println("Cachalot demo: edge " + edgeUrl + " -> origin " + dir + " (admin " + admin + ")");
    out.println();
    out.println("Try (the first request is a miss, the second a hit; watch Cache-Status and Age):");
    out.println("  curl -sI " + edgeUrl + "/photos/whale-01.jpg");
    out.println("  curl -sI " + edgeUrl + "/photos/whale-01.jpg");
    out.println("  curl -s -o /dev/null -w '%{http_code} %{size_download}\\n' -H 'Range: bytes=0-1023' "
        + edgeUrl + "/video/sample.mp4");
    out.println("  curl -sI -H 'If-None-Match: \"x\"' " + edgeUrl + "/thumbs/whale-02.jpg");
    out.println("  curl -s " + admin + "/readyz");
    out.println("  open " + admin + "/admin/   (status page; metrics at " + admin + "/metrics)");
    String token = env.getOrDefault("CACHALOT_DEMO_PURGE_TOKEN", "TOKEN");
    if (purgeService != null) {
      out.println();
      out.println("Purge (the purge service at " + purgeService + " logs it; every edge following it applies it):");
      out.println("  curl -s -X POST -H 'Authorization: Bearer " + token + "' -H 'Content-Type: application/json' \\");
      out.println("       -d '{\"urls\": [\"" + edgeUrl + "/photos/whale-01.jpg\"]}' " + purgeService + "/v1/purge");
      out.println("  curl -s -X PURGE -H 'Authorization: Bearer " + token + "' " + edgeUrl + "/photos/whale-02.jpg");
      out.println("  curl -s -H 'Authorization: Bearer " + token + "' " + purgeService + "/v1/purge/p-1");
    }
    out.println();
    out.println("Photos: /photos/whale-01.jpg .. whale-" + String.format("%02d", PHOTOS)
        + ".jpg, thumbnails under /thumbs/, video /video/sample.mp4. Ctrl-C stops.");
    out.flush();
    return node;
  }

  /** Writes the sample photos (generated, deterministic) and the bundled video, if not there already. */
  static void prepareOrigin(Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir.resolve("photos"));
    Files.createDirectories(dir.resolve("thumbs"));
    Files.createDirectories(dir.resolve("video"));
    for (int i = 1; i <= PHOTOS; i++) {
      String name = String.format("whale-%02d.jpg", i);
      writeIfAbsent(dir.resolve("photos").resolve(name), photo(i, 1280, 853));
      writeIfAbsent(dir.resolve("thumbs").resolve(name), photo(i, 160, 107));
    }
    Path video = dir.resolve("video/sample.mp4");
    if (!Files.exists(video)) {
      try (InputStream in = Demo.class.getResourceAsStream("/demo/sample.mp4")) {
        if (in == null) {
          throw new IOException("bundled demo/sample.mp4 is missing from the jar");
        }
        Files.copy(in, video, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.writeString(dir.resolve("index.html"), "<!doctype html><title>Cachalot demo origin</title>"
        + "<h1>Cachalot demo origin</h1><p><a href=\"/photos/whale-01.jpg\">a photo</a>, "
        + "<a href=\"/video/sample.mp4\">a video</a></p>\n");
  }

  private static void writeIfAbsent(Path file, BufferedImage image) throws IOException {
    if (Files.exists(file)) {
      return;
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    if (!ImageIO.write(image, "jpg", tmp.toFile())) {
      throw new IOException("no JPEG writer in this JVM");
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static BufferedImage photo(int n, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    float hue = (n * 0.083f) % 1f;
    g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(hue, 0.6f, 0.35f), w, h,
        Color.getHSBColor((hue + 0.15f) % 1f, 0.7f, 0.9f)));
    g.fillRect(0, 0, w, h);
    g.setColor(new Color(20, 30, 50, 200));
    g.fillOval(w / 6, h / 3, w * 2 / 3, h / 3); // a whale, of sorts
    g.fillPolygon(new int[] {w * 5 / 6 - 10, w * 19 / 20, w * 19 / 20},
        new int[] {h / 2, h / 3, h * 2 / 3}, 3);
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, h / 10)));
    g.drawString("Cachalot #" + n, w / 20, h / 6);
    g.dispose();
    return img;
  }
}
