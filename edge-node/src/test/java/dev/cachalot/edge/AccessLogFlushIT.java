package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.OpsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An I/O thread's lines are its own until they are flushed (by the timer, on that thread, or when the edge stops):
 * none is lost and none is written twice.
 */
class AccessLogFlushIT extends EdgeTestBase {
  @TempDir Path logDir;

  @Override
  protected EdgeConfig config() {
    return super.config().withOps(OpsConfig.defaults().withAccessLog(logDir.resolve("access.log").toString()));
  }

  @Test
  void everyLineIsInTheFileOnceWhenTheEdgeHasStopped() throws IOException {
    enqueueFresh("abcd", 600);
    int requests = 300; // more than one batch of lines
    for (int i = 0; i < requests; i++) {
      assertThat(get("/a", "User-Agent", "client-" + i).code()).isEqualTo(200);
    }
    edge.close();
    edge = null;
    List<String> lines = Files.readAllLines(logDir.resolve("access.log"));
    assertThat(lines).hasSize(requests);
    for (int i = 0; i < requests; i++) {
      String agent = "\"client-" + i + "\"";
      assertThat(lines).as(agent).filteredOn(l -> l.contains(agent)).hasSize(1);
    }
    assertThat(lines.get(0)).contains("\"GET /a HTTP/1.1\" 200 4 \"-\" \"client-0\" cache=miss tier=origin ");
    assertThat(lines.get(requests - 1)).contains("\"client-299\" cache=hit tier=memory origin_ms=- total_ms=");
  }

  @Test
  void aTargetThatCannotBeOpenedStopsTheStartWithItsName() throws IOException {
    Path dir = Files.createDirectory(logDir.resolve("a-directory.log")); // passes the config check: its parent is
    EdgeConfig config = config().withOps(OpsConfig.defaults().withAccessLog(dir.toString())); // writable
    assertThatThrownBy(() -> EdgeNode.start(config))
        .isInstanceOf(EdgeStartException.class)
        .hasMessageContaining("cannot open the access log " + dir);
  }
}
