package dev.cachalot.edge;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A program from the machine's packages (promtool, prometheus, chromium). Missing on a developer's machine, the
 * test is skipped with the install command; missing in CI ({@code CI=true}), the test fails, because .ci/run
 * installs them.
 */
public final class ExternalTool {
  private ExternalTool() {}

  public static Path require(String name, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String why = name + " not found: apt-get install " + debianPackage + " (.ci/run does)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(why);
    }
    Assumptions.abort(why);
    throw new AssertionError(why);
  }
}
