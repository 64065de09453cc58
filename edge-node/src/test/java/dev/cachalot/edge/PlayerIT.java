package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.CacheConfig;
import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.HostPort;
import dev.cachalot.config.OriginConfig;
import dev.cachalot.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real player through the edge: ffprobe and ffmpeg (Debian's ffmpeg, installed by .ci/run) read an MP4 whose
 * index sits at the end, so they seek with ranges, and the edge answers them from 256 KiB slices. Every answer is
 * compared with the same read made straight from the file.
 */
class PlayerIT {
  @TempDir Path dir;
  Path ffmpeg;
  Path ffprobe;
  Path video;
  EdgeNode edge;

  @BeforeEach
  void start() throws Exception {
    ffmpeg = ExternalTool.require("ffmpeg", "ffmpeg");
    ffprobe = ExternalTool.require("ffprobe", "ffmpeg");
    Path origin = Files.createDirectories(dir.resolve("origin"));
    video = origin.resolve("clip.mp4");
    // 20 s of a test pattern; MP4's index (moov) is written last, so a player must seek to the end first
    run(ffmpeg.toString(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
        "testsrc=duration=20:size=640x360:rate=25", "-c:v", "mpeg4", "-q:v", "2", "-y", video.toString());
    assertThat(Files.size(video)).as("several slices").isGreaterThan(1L << 20);
    CacheConfig cache = new CacheConfig(64L << 20, 16L << 20, Duration.ofDays(1), Duration.ZERO,
        Duration.ofMinutes(2), Duration.ofSeconds(30), Set.of()).withSlicing(256 << 10, 512 << 10);
    OriginConfig o = OriginConfig.of(origin.toUri().toString());
    edge = EdgeNode.start(new EdgeConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0), o, cache,
        new ServerConfig(2, 1L << 20, "cachalot")));
  }

  @AfterEach
  void stop() {
    if (edge != null) {
      edge.close();
    }
  }

  private String url() {
    return "http://127.0.0.1:" + edge.address().getPort() + "/clip.mp4";
  }

  /** Runs a command; returns its standard output; fails the test on a non-zero exit. */
  private String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectError(dir.resolve("stderr.log").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + Files.readString(dir.resolve("stderr.log")))
        .isZero();
    return out.trim();
  }

  private String duration(String input) throws Exception {
    return run(ffprobe.toString(), "-v", "error", "-show_entries", "format=duration:stream=nb_frames,codec_name",
        "-of", "csv=p=0", input);
  }

  private byte[] frameAt(String input, String seconds, String name) throws Exception {
    Path png = dir.resolve(name + ".png");
    List<String> cmd = new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-loglevel", "error", "-ss",
        seconds, "-i", input, "-frames:v", "1", "-f", "image2", "-y", png.toString()));
    run(cmd.toArray(new String[0]));
    return Files.readAllBytes(png);
  }

  @Test
  void ffprobeAndFfmpegSeeThroughTheEdgeWhatTheySeeInTheFile() throws Exception {
    String direct = duration(video.toString());
    assertThat(direct).contains("20.0");
    assertThat(duration(url())).as("ffprobe through the edge").isEqualTo(direct);
    assertThat(frameAt(url(), "10", "edge")).as("the frame at 10 s, seeking through the edge")
        .isEqualTo(frameAt(video.toString(), "10", "file"));
    assertThat(frameAt(url(), "17.5", "edge2")).isEqualTo(frameAt(video.toString(), "17.5", "file2"));
    // the player's ranges were answered from slices: the description and several slices are stored
    assertThat(edge.context().cache().tierStats().get(0).objects()).isGreaterThan(3);
  }
}
