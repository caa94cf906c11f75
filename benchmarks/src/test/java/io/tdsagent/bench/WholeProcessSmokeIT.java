package io.tdsagent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Proves the whole-process harness works (it measures nothing): one round, no agent and the
 * tds-agent, a few SELECT 1 round trips each. A few seconds; the benchmarks themselves are never
 * run by the build.
 */
class WholeProcessSmokeIT {
  @Test
  void forksClientsWithAndWithoutTheAgentAndReportsRatios() throws Exception {
    Path root =
        Paths.get(System.getProperty("tds.project.root", "..")).toAbsolutePath().normalize();
    Path out = Files.createTempDirectory("tds-bench-smoke");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    WholeProcess wp =
        new WholeProcess(
            root,
            out,
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            List.of("-Xmx256m"),
            List.of(
                "select1.warmup=20",
                "select1.warmupSeconds=0",
                "select1.batches=2",
                "select1.ops=20"),
            new PrintStream(log, true, StandardCharsets.UTF_8));

    WholeProcess.Report report = wp.run(1, List.of("none", "tds"), List.of("select1"));

    double[] ratio = report.ratio("select1|wall", "tds");
    assertNotNull(ratio, log.toString(StandardCharsets.UTF_8));
    assertTrue(ratio[0] > 0, "a ratio: " + ratio[0]);
    String md = report.markdown();
    assertTrue(md.contains("| select1 | tds |"), md);
    // 2 batches per fork, 2 forks, all in the raw CSV
    assertEquals(1 + 4, Files.readAllLines(out.resolve("batches.csv")).size());
    // the agent was really attached: its request spans reached the receiver
    assertTrue(
        log.toString(StandardCharsets.UTF_8).matches("(?s).*round 0 tds .*spans received [1-9].*"),
        log.toString(StandardCharsets.UTF_8));
  }
}
