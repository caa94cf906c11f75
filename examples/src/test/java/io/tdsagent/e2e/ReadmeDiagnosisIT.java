package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.otlp.OtlpReceiver;
import io.tdsagent.otlp.ReceivedSpan;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * README.md's table of login verdicts, row by row, as a reader runs it (failsafe, after {@code mvn
 * package}): the lab server jar started with the row's options on top of the README's command
 * ({@code java -jar examples/target/tds-lab-server.jar --port 14333 --login sa:Secret-1}), the real
 * mssql-jdbc connecting with the README's URL plus the row's URL properties, the agent attached;
 * the login span's {@code tds.login.diagnosis} must read as the row's first cell ({@code N} a
 * number, {@code HOST:PORT} the routed address). Ports are free ones, not 14333/14334, so that
 * nothing on this machine clashes. Only the rows the README gives no lab reproduction for are left
 * out, by name ({@link #NOT_RUNNABLE}): a new row is run.
 */
class ReadmeDiagnosisIT {
  static final Path ROOT = Paths.get(System.getProperty("tds.project.root", ".."));
  static final String JAVA = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  static final String HEADER =
      "| `tds.login.diagnosis` | cause | lab server options | URL properties |";
  static final Pattern CODE = Pattern.compile("`([^`]*)`");

  /**
   * Rows the README gives no lab reproduction for: mssql-jdbc does not use SPNEGO (unit-tested
   * instead), and a client-side failure (no Kerberos ticket, a JAAS error) is the client's own.
   */
  static final List<String> NOT_RUNNABLE =
      List.of("kerberos fell back to ntlm", "client gave up: <driver's message>");

  static OtlpReceiver receiver;

  @BeforeAll
  static void startReceiver() {
    receiver = OtlpReceiver.start(0);
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  /** One row of the table: its cells as written. */
  static final class Row {
    final String verdict;
    final String options;
    final String url;

    Row(String verdict, String options, String url) {
      this.verdict = verdict;
      this.options = options;
      this.url = url;
    }
  }

  static List<Row> rows() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    int at = lines.indexOf(HEADER);
    assertTrue(at >= 0, "README.md has no table headed " + HEADER);
    List<Row> rows = new ArrayList<>();
    for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String line = lines.get(i).trim();
      // no cell of this table holds a '|'
      String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
      assertEquals(4, cells.length, line);
      // a row that names no verdict of its own gives one as an example in its cause
      String verdict = firstCode(cells[0]).isEmpty() ? firstCode(cells[1]) : firstCode(cells[0]);
      rows.add(new Row(verdict, cells[2].trim(), cells[3].trim()));
    }
    return rows;
  }

  private static String firstCode(String cell) {
    Matcher m = CODE.matcher(cell);
    return m.find() ? m.group(1) : "";
  }

  @TestFactory
  Stream<DynamicTest> eachVerdictAsTheReadmeReproducesIt() throws IOException {
    List<Row> rows = rows();
    assertTrue(rows.size() >= 15, "the table lost rows: " + rows.size());
    assertEquals(
        NOT_RUNNABLE,
        rows.stream()
            .map(r -> r.verdict)
            .filter(NOT_RUNNABLE::contains)
            .collect(Collectors.toList()),
        "the rows left out are still there");
    return rows.stream()
        .filter(r -> !NOT_RUNNABLE.contains(r.verdict))
        .map(r -> DynamicTest.dynamicTest(r.verdict, () -> run(r)));
  }

  private void run(Row row) throws Exception {
    receiver.clear();
    List<Process> servers = new ArrayList<>();
    try {
      String labOptions = firstCode(row.options);
      int connectTo;
      String expected = row.verdict;
      if (row.options.contains("(none running)")) {
        connectTo = freePort();
      } else if (row.options.startsWith("a second lab server with ")) {
        // the gateway routes to the first server; the client connects to the gateway
        int target = startLab(servers, List.of()).port;
        List<String> route =
            Arrays.asList(labOptions.replace("14333", Integer.toString(target)).split(" "));
        connectTo = startLab(servers, route).port;
        expected = expected.replace("HOST:PORT", "127.0.0.1:" + target);
      } else if (labOptions.startsWith("--silent-listener 14334")) {
        Lab lab = startLab(servers, List.of("--silent-listener", "0"));
        connectTo = lab.silentPort;
      } else {
        List<String> args = labOptions.isEmpty() ? List.of() : Arrays.asList(labOptions.split(" "));
        connectTo = startLab(servers, args).port;
      }
      String url =
          "jdbc:sqlserver://127.0.0.1:"
              + connectTo
              + ";user=sa;password=Secret-1;encrypt=false"
              + urlProperties(row.url);
      AgentProcess p = AgentProcess.exportingTo(receiver.endpoint());
      if (!expected.contains(" slow ")) {
        // where slowness is not the point, a busy machine's slow step must not become the verdict
        p.prop("tds.diagnosis.slow_ms", "60000");
      }
      AgentProcess.Result r = p.connect(url).run().assertOk();
      List<ReceivedSpan> logins =
          receiver
              .awaitSpans(
                  s -> s.stream().anyMatch(x -> x.name().equals("SQL Server login")),
                  Duration.ofSeconds(30))
              .stream()
              .filter(x -> x.name().equals("SQL Server login"))
              .sorted((a, b) -> Long.compare(a.startEpochNanos(), b.startEpochNanos()))
              .collect(Collectors.toList());
      String got = logins.get(0).stringAttr("tds.login.diagnosis");
      System.out.println(row.verdict + " -> " + got);
      assertTrue(
          verdictPattern(expected).matcher(String.valueOf(got)).matches(),
          () ->
              "README says '" + row.verdict + "', the span says '" + got + "'\n" + url + "\n" + r);
    } finally {
      for (Process s : servers) {
        s.destroy();
        s.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * The URL properties a cell names: its first code span (what follows ", or" is an alternative),
   * or, where the first names a port (the silent listener's, chosen above), the ones after it.
   */
  static String urlProperties(String cell) {
    List<String> codes =
        CODE.matcher(cell).results().map(m -> m.group(1)).collect(Collectors.toList());
    if (codes.isEmpty()) {
      return "";
    }
    if (codes.get(0).matches("\\d+")) {
      return codes.size() > 1 ? ";" + String.join(";", codes.subList(1, codes.size())) : "";
    }
    return ";" + codes.get(0);
  }

  /** The README's words, {@code N} standing for a number. */
  static Pattern verdictPattern(String words) {
    String[] parts = words.split("\\bN\\b", -1);
    return Pattern.compile(
        Arrays.stream(parts).map(Pattern::quote).collect(Collectors.joining("\\d+")));
  }

  static final class Lab {
    final int port;
    final int silentPort;

    Lab(int port, int silentPort) {
      this.port = port;
      this.silentPort = silentPort;
    }
  }

  /** The README's lab command, on a free port, with the row's options; once it says it listens. */
  private static Lab startLab(List<Process> servers, List<String> options) throws Exception {
    int port = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            JAVA,
            "-jar",
            "examples/target/tds-lab-server.jar",
            "--port",
            Integer.toString(port),
            "--login",
            "sa:Secret-1"));
    cmd.addAll(options);
    Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true).start();
    servers.add(p);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    assertTrue(
        first != null && first.startsWith("tds-lab listening on 127.0.0.1:" + port),
        "the lab server said: " + first + " (" + String.join(" ", cmd) + ")");
    int silent = -1;
    if (options.contains("--silent-listener")) {
      String line = out.readLine();
      Matcher m =
          Pattern.compile("silent listener \\(no SYN-ACK\\) on 127.0.0.1:(\\d+)")
              .matcher(String.valueOf(line));
      assertTrue(m.find(), "the lab server said: " + line);
      silent = Integer.parseInt(m.group(1));
    }
    // keep reading what it prints, so that it never blocks on a full pipe
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // discarded
                }
              } catch (IOException ignored) {
                // the process ended
              }
            });
    drain.setDaemon(true);
    drain.start();
    return new Lab(port, silent);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
