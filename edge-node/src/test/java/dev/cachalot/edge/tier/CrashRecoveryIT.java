package dev.cachalot.edge.tier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.MappedTierConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM writing to the mapped tier is killed with SIGKILL; the files reopen and nothing is served corrupt. */
class CrashRecoveryIT {
  @TempDir Path dir;

  @Test
  void killNineMidWriteLosesNothingAcknowledgedAndServesNothingCorrupt() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle") || arg.startsWith("--enable-native")
          || arg.startsWith("--sun-misc")) {
        command.add(arg);
      }
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashWriterMain.class.getName(),
        dir.toString()));
    Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    int acknowledged = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("stored ")) {
          acknowledged = Integer.parseInt(line.substring(7));
          if (acknowledged >= 3000) {
            child.destroyForcibly(); // SIGKILL, mid-write
            break;
          }
        }
      }
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(acknowledged).as("the child wrote before it was killed").isGreaterThanOrEqualTo(3000);

    try (CacheTier tier = CacheTiers.mapped(new MappedTierConfig(dir, 32L << 20, 8192))) {
      int intact = 0;
      int absent = 0;
      for (int i = 0; i <= acknowledged; i++) {
        CacheEntry e = tier.lookup(CrashWriterMain.key(i)).join();
        if (e == null) {
          absent++;
          continue;
        }
        assertThat(new String(e.variants().get(0).body(), StandardCharsets.UTF_8))
            .as("object %d is intact or absent, never corrupt", i).isEqualTo(CrashWriterMain.body(i));
        intact++;
      }
      long failures = tier.stats().integrityFailures();
      assertThat(tier.stats().evictions()).as("sized so that nothing is recycled").isZero();
      assertThat(absent).as("only damaged entries are missing").isEqualTo(failures);
      assertThat(intact + failures).as("intact + integrity failures = acknowledged writes").isEqualTo(acknowledged + 1);
      assertThat(tier.lookup(CrashWriterMain.key(acknowledged)).join()).as("the last acknowledged write").isNotNull();
    }
  }
}
