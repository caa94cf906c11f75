package io.tdsagent.mars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.LabServer;
import io.tdsagent.lab.sql.Column;
import io.tdsagent.lab.sql.QueryResult;
import io.tdsagent.lab.sql.ResultTable;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MARS end to end with a real MARS client: FreeTDS's ODBC driver ({@code MARS_Connection=Yes})
 * against the lab server, two statements with open result sets fetched in turns, plus a request
 * longer than the SMP window, while tcpdump captures the loopback. The capture then goes through
 * the replay tool (the jar, as users run it) and through the agent's decoding path ({@link
 * AgentPath}); both must show a {@code mars session} per SMP session with its requests, row counts,
 * the window stall the server provoked, and no decode error.
 */
class MarsFreeTdsTest {
  static final Path AGENT_JAR =
      Paths.get(System.getProperty("tds.agent.jar", "../agent/target/tds-agent.jar"));

  /**
   * SQL text of the long request: 14000 characters, 28 KB of UTF-16, 7 TDS packets of 4096 bytes.
   */
  static final int PAD = 14_000;

  static final Duration HOLD = Duration.ofMillis(150);

  static FreeTdsClient freeTds;

  @TempDir Path dir;

  @BeforeAll
  static void tools() {
    freeTds = FreeTdsClient.require();
  }

  static LabServer.Builder lab() {
    return LabServer.builder()
        .login("sa", "Secret-1")
        .encryption(Encryption.NOT_SUPPORTED)
        .queryPattern(
            "SELECT 'padded' AS p, '(x+)' AS padding",
            (sql, ctx) ->
                QueryResult.of(
                    ResultTable.single(
                        Column.integer("padding_chars"),
                        (int) sql.chars().filter(c -> c == 'x').count())));
  }

  String client(LabServer server, String mars, String scenario) throws Exception {
    return freeTds.run(
        dir, "mars_client.py", server, "sa", "Secret-1", mars, scenario, Integer.toString(PAD));
  }

  @Test
  void freeTdsMarsSessionsCapturedReplayedAndTraced() throws Exception {
    Path pcap = dir.resolve("mars.pcap");
    String out;
    try (LabServer server = lab().marsWindowHold(HOLD).build().start();
        LoopbackCapture capture = LoopbackCapture.start(freeTds.tcpdump, server.port(), pcap)) {
      out = client(server, "Yes", "interleaved");
      assertTrue(
          server.marsSessionsOpened() >= 2, "SMP sessions opened: " + server.marsSessionsOpened());
      capture.stop();
    }
    // what the application saw: both result sets complete, read in turns
    assertEquals(300, jsonInt(out, "a"), out);
    assertEquals(40, jsonInt(out, "b"), out);
    assertEquals(PAD, jsonInt(out, "padded"), out);
    assertEquals(1, jsonInt(out, "one"), out);
    assertEquals(1, jsonInt(out, "cancelled_first"), out);
    assertTrue(out.contains("\"turns\": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]"), out);

    replayToolShowsMarsSessions(pcap);
    agentPathShowsMarsSessions(pcap);
    agentPathEqualsReplay(pcap);
  }

  /**
   * The MARS case of the live == replay invariant. No driver the agent instruments speaks MARS
   * (mssql-jdbc, jTDS and r2dbc-mssql have none), so there is no live export of a MARS connection
   * to hold the replay against. What stands in for "live" is the agent's own path: its classes,
   * from the packaged tds-agent.jar, fed FreeTDS's bytes in capture order exactly as ChannelTap
   * feeds them from inside a driver ({@link AgentPath}). It must make the same span tree as the
   * replay tool's reading of the same tcpdump capture: names, parents, attributes, events with
   * their attributes (the capture's own span, {@code SQL Server connection}, aside).
   */
  void agentPathEqualsReplay(Path pcap) throws Exception {
    AgentPath.Result agent = AgentPath.replay(AGENT_JAR, pcap);
    List<String> expected = new ArrayList<>();
    for (AgentPath.Plan p : agent.plans) {
      expected.add(tree(p, 0));
    }
    expected.sort(null);
    List<io.tdsagent.replay.Span> spans = new ArrayList<>();
    new io.tdsagent.replay.Replayer(spans::add).replay(pcap);
    Map<String, List<io.tdsagent.replay.Span>> children = new LinkedHashMap<>();
    List<String> actual = new ArrayList<>();
    for (io.tdsagent.replay.Span s : spans) {
      if (s.parentSpanId() != null) {
        children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
      }
    }
    for (io.tdsagent.replay.Span s : spans) {
      if (s.parentSpanId() == null && !s.name().equals("SQL Server connection")) {
        actual.add(tree(s, children, 0));
      }
    }
    actual.sort(null);
    assertTrue(
        expected.stream().anyMatch(t -> t.startsWith("mars session")), String.join("", expected));
    assertEquals(
        String.join("", expected),
        String.join("", actual),
        "the agent's path (expected) and the replay (actual) of one FreeTDS MARS capture");
  }

  private static String tree(AgentPath.Plan p, int depth) {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < p.events.size(); i++) {
      events.add(p.events.get(i) + text(p.eventAttributes.get(i)));
    }
    List<String> kids = new ArrayList<>();
    for (AgentPath.Plan c : p.children) {
      kids.add(tree(c, depth + 1));
    }
    kids.sort(null);
    return "  ".repeat(depth)
        + p.name
        + " events="
        + events
        + " "
        + text(p.attributes)
        + "\n"
        + String.join("", kids);
  }

  private static String tree(
      io.tdsagent.replay.Span s, Map<String, List<io.tdsagent.replay.Span>> children, int depth) {
    List<String> events = new ArrayList<>();
    for (io.tdsagent.replay.Span.Event e : s.events()) {
      events.add(e.name + text(e.attributes));
    }
    List<String> kids = new ArrayList<>();
    for (io.tdsagent.replay.Span c : children.getOrDefault(s.spanId(), List.of())) {
      kids.add(tree(c, children, depth + 1));
    }
    kids.sort(null);
    return "  ".repeat(depth)
        + s.name()
        + " events="
        + events
        + " "
        + text(s.attributes())
        + "\n"
        + String.join("", kids);
  }

  private static String text(Map<String, Object> attributes) {
    Map<String, String> sorted = new java.util.TreeMap<>();
    attributes.forEach((k, v) -> sorted.put(k, String.valueOf(v)));
    return sorted.toString();
  }

  /** The replay jar, as README.md tells users to run it, in JSON lines. */
  void replayToolShowsMarsSessions(Path pcap) throws Exception {
    String json = FreeTdsClient.replayJson(pcap);
    List<Map<String, String>> spans = new ArrayList<>();
    for (String line : json.split("\n")) {
      if (!line.isBlank()) {
        Map<String, String> f = fields(line);
        f.put("_line", line);
        spans.add(f);
      }
    }
    String all = spans.stream().map(s -> s.get("name") + " " + s).collect(Collectors.joining("\n"));
    assertTrue(!json.contains("tds.decode_error"), "decode errors in the replay:\n" + all);
    Map<String, Map<String, String>> sessions = new LinkedHashMap<>();
    for (Map<String, String> s : spans) {
      if ("mars session".equals(s.get("name"))) {
        sessions.put(s.get("spanId"), s);
      }
    }
    assertTrue(sessions.size() >= 2, "mars sessions in the replay:\n" + all);
    Map<String, String> big = request(spans, "SELECT TOP 300 * FROM dbo.big_rows", all);
    Map<String, String> small = request(spans, "SELECT TOP 40 * FROM dbo.big_rows", all);
    Map<String, String> padded = request(spans, "SELECT 'padded'", all);
    assertEquals("SELECT dbo.big_rows", big.get("name"), all);
    assertEquals("300", big.get("db.response.returned_rows"), all);
    assertEquals("40", small.get("db.response.returned_rows"), all);
    assertEquals("1", padded.get("db.response.returned_rows"), all);
    // each request is a child of its session's span, and the two open result sets were on two
    // sessions
    Map<String, String> bigSession = sessions.get(big.get("parentSpanId"));
    Map<String, String> smallSession = sessions.get(small.get("parentSpanId"));
    assertNotNull(bigSession, "no mars session parent for the 300 rows:\n" + all);
    assertNotNull(smallSession, "no mars session parent for the 40 rows:\n" + all);
    assertNotEquals(bigSession.get("tds.smp.sid"), smallSession.get("tds.smp.sid"), all);
    // the agent's names (one trace model): FreeTDS FINs the sessions it adds, not the first one
    assertEquals("client", smallSession.get("tds.smp.closed_by"), all);
    assertEquals("connection_close", bigSession.get("tds.smp.closed_by"), all);
    // the statement closed early: cancelled by an ATTENTION on its own session
    Map<String, String> cancelled = request(spans, "SELECT TOP 5000 * FROM dbo.big_rows", all);
    assertEquals("true", cancelled.get("tds.cancelled"), all);
    // rows that arrived before the ATTENTION took effect: the application got none of them (the
    // agent's name)
    assertTrue(Integer.parseInt(cancelled.get("tds.response.rows_before_cancel")) < 5000, all);
    assertNotNull(sessions.get(cancelled.get("parentSpanId")), all);
    // the held-back window: the client stalled inside the long request
    Map<String, String> paddedSession = sessions.get(padded.get("parentSpanId"));
    assertNotNull(paddedSession, "no mars session parent for the long request:\n" + all);
    // window stalls are the session span's events, as the agent exports them
    double stallMs = 0;
    Matcher stall =
        Pattern.compile("\"tds\\.smp\\.stall_ms\":([0-9.E]+)").matcher(paddedSession.get("_line"));
    while (stall.find()) {
      stallMs = Math.max(stallMs, Double.parseDouble(stall.group(1)));
    }
    assertTrue(
        paddedSession.get("_line").contains("\"tds.smp.window_stall\""),
        "no window stall:\n" + all);
    assertTrue(stallMs >= HOLD.toMillis() * 0.8, "stalled " + stallMs + " ms:\n" + all);
  }

  void agentPathShowsMarsSessions(Path pcap) throws Exception {
    AgentPath.Result r = AgentPath.replay(AGENT_JAR, pcap);
    String all = r.plans.stream().map(Object::toString).collect(Collectors.joining());
    assertEquals(List.of(), r.decodeErrors, all);
    assertEquals(1, r.connections, all);
    assertTrue(r.mars, "the agent's decoder never switched to SMP:\n" + all);
    assertTrue(r.plans.stream().anyMatch(p -> p.name.equals("SQL Server login")), all);
    List<AgentPath.Plan> sessions =
        r.plans.stream().filter(p -> p.name.equals("mars session")).collect(Collectors.toList());
    assertTrue(sessions.size() >= 2, "mars session plans:\n" + all);
    // the agent leaves literals out of db.query.text: the two result sets are told apart by their
    // rows
    AgentPath.Plan bigSession = sessionWith(sessions, "SELECT TOP ? * FROM dbo.big_rows", 300, all);
    AgentPath.Plan smallSession =
        sessionWith(sessions, "SELECT TOP ? * FROM dbo.big_rows", 40, all);
    assertNotEquals(
        bigSession.attributes.get("tds.smp.sid"), smallSession.attributes.get("tds.smp.sid"), all);
    assertEquals(
        "SELECT dbo.big_rows",
        child(bigSession, "SELECT TOP ? * FROM dbo.big_rows", 300).name,
        all);
    // FreeTDS FINs the sessions it adds, not the connection's first one: that one ends with the TCP
    // connection
    assertEquals("client", smallSession.attributes.get("tds.smp.closed_by"), all);
    assertEquals(true, smallSession.attributes.get("tds.smp.fin_both_ways"), all);
    assertEquals("connection_close", bigSession.attributes.get("tds.smp.closed_by"), all);
    AgentPath.Plan paddedSession = sessionWith(sessions, "SELECT ? AS p, ? AS padding", 1, all);
    AgentPath.Plan cancelled =
        sessions.stream()
            .flatMap(x -> x.children.stream())
            .filter(c -> Boolean.TRUE.equals(c.attributes.get("tds.cancelled")))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no cancelled request in a mars session:\n" + all));
    assertEquals(
        "SELECT TOP ? * FROM dbo.big_rows", cancelled.attributes.get("db.query.text"), all);
    assertTrue(cancelled.events.contains("tds.attention.sent"), all);
    // the server's held-back window: the client waited inside the long request
    boolean clientStall = false;
    for (int i = 0; i < paddedSession.events.size(); i++) {
      Map<String, Object> a = paddedSession.eventAttributes.get(i);
      clientStall |=
          paddedSession.events.get(i).equals("tds.smp.window_stall")
              && "client".equals(a.get("tds.smp.waiting_side"))
              && ((Number) a.get("tds.smp.stall_ms")).doubleValue() >= HOLD.toMillis() * 0.8;
    }
    assertTrue(clientStall, "no client window stall of about " + HOLD.toMillis() + " ms:\n" + all);
  }

  @Test
  void marsOffAnswersMarsZeroAndFreeTdsStaysOnPlainTds() throws Exception {
    try (LabServer server = lab().mars(false).build().start()) {
      String out = client(server, "Yes", "simple");
      assertEquals(PAD, jsonInt(out, "padded"), out);
      assertEquals(1, jsonInt(out, "one"), out);
      assertEquals(0, server.marsSessionsOpened());
    }
  }

  // ---- helpers ----

  static Map<String, String> request(
      List<Map<String, String>> spans, String textStart, String all) {
    return spans.stream()
        .filter(s -> s.getOrDefault("db.query.text", "").startsWith(textStart))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no request span for " + textStart + ":\n" + all));
  }

  static AgentPath.Plan sessionWith(
      List<AgentPath.Plan> sessions, String text, long rows, String all) {
    return sessions.stream()
        .filter(s -> child(s, text, rows) != null)
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no mars session with " + text + " (" + rows + " rows):\n" + all));
  }

  /** The session's request with this db.query.text and row count, or null. */
  static AgentPath.Plan child(AgentPath.Plan session, String text, long rows) {
    for (AgentPath.Plan c : session.children) {
      Object n = c.attributes.get("db.response.returned_rows");
      if (text.equals(c.attributes.get("db.query.text"))
          && n instanceof Number
          && ((Number) n).longValue() == rows) {
        return c;
      }
    }
    return null;
  }

  static int jsonInt(String json, String key) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": (-?\\d+)").matcher(json);
    if (!m.find()) {
      throw new AssertionError("no " + key + " in " + json);
    }
    return Integer.parseInt(m.group(1));
  }

  private static final Pattern FIELD =
      Pattern.compile(
          "\"([\\w.]+)\":(\"([^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+)\"|-?[\\d.]+|true|false)"); // unrolled: no deep recursion on long texts

  /** The flat string and number fields of one JSON line (span fields and attributes alike). */
  static Map<String, String> fields(String line) {
    Map<String, String> m = new LinkedHashMap<>();
    Matcher x = FIELD.matcher(line);
    while (x.find()) {
      m.putIfAbsent(x.group(1), x.group(3) != null ? x.group(3) : x.group(2));
    }
    return m;
  }
}
