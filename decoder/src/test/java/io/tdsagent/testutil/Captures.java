package io.tdsagent.testutil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates the shared capture files through the tds.captures.dir property set by surefire. */
public final class Captures {
  private Captures() {}

  public static Path path(String name) {
    String dir = System.getProperty("tds.captures.dir");
    if (dir == null) {
      throw new AssertionError("system property tds.captures.dir is not set");
    }
    Path p = Paths.get(dir, name);
    if (!Files.isRegularFile(p)) {
      throw new AssertionError("capture missing: " + p);
    }
    return p;
  }
}
