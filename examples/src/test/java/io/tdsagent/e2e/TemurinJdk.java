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
 * The second JDK the agent is tested on: {@code -Dtds.test.java25=JAVA_HOME} if given, else the newest Temurin JDK
 * under /usr/lib/jvm, found by its name ({@code temurin-<feature>-jdk-<arch>}), whatever its version.
 */
final class TemurinJdk {
    private static final Pattern NAME = Pattern.compile("temurin-(\\d+)(-.*)?");

    private TemurinJdk() {
    }

    /** JAVA_HOME of the JDK to use, or empty when none is installed. */
    static Optional<Path> find() {
        String given = System.getProperty("tds.test.java25", "");
        if (!given.isBlank()) {
            return Optional.of(Paths.get(given));
        }
        return newestIn(Paths.get("/usr/lib/jvm"));
    }

    static Optional<Path> newestIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isExecutable(p.resolve("bin").resolve("java")))
                    .max(Comparator.comparingInt(TemurinJdk::feature));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The feature version in the directory's name (25 for temurin-25-jdk-amd64). */
    static int feature(Path home) {
        Matcher m = NAME.matcher(home.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }
}
