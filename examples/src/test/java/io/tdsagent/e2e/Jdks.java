package io.tdsagent.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The second JDK the agent is tested on: {@code -Dtds.test.newer.jdk=JAVA_HOME}, else the Temurin
 * JDK with the highest feature version under /usr/lib/jvm, found by name (the machine's Temurin
 * release changes). Missing: the test fails under CI=true and is skipped elsewhere, saying why.
 */
final class Jdks {
  private static final Pattern TEMURIN = Pattern.compile("temurin-(\\d+)(?:[.-].*)?");

  private Jdks() {}

  static Path newer() {
    String set = System.getProperty("tds.test.newer.jdk", "");
    Optional<Path> home =
        set.isBlank() ? newestTemurin(Paths.get("/usr/lib/jvm")) : Optional.of(Paths.get(set));
    if (home.isPresent() && Files.isExecutable(home.get().resolve("bin").resolve("java"))) {
      return home.get();
    }
    String why =
        "no second JDK to test on: set -Dtds.test.newer.jdk=JAVA_HOME or install a Temurin JDK under "
            + "/usr/lib/jvm (looked for "
            + (set.isBlank() ? "/usr/lib/jvm/temurin-*" : set)
            + ")";
    io.tdsagent.testutil.Missing.skipOrFail(why);
    return null;
  }

  static int feature(Path home) {
    Matcher m = TEMURIN.matcher(home.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  static Optional<Path> newestTemurin(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> feature(p) > 0 && Files.isExecutable(p.resolve("bin").resolve("java")))
          .max(Comparator.comparingInt(Jdks::feature));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
