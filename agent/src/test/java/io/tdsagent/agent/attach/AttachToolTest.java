package io.tdsagent.agent.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttachToolTest {
  @Test
  void durations() {
    assertEquals(600_000, AttachTool.millis("10m"));
    assertEquals(30_000, AttachTool.millis("30s"));
    assertEquals(30_000, AttachTool.millis("30"));
    assertEquals(500, AttachTool.millis("500ms"));
    assertEquals(7_200_000, AttachTool.millis("2h"));
  }

  /**
   * The agent's argument survives any path or value: the agent reads back exactly what the tool
   * wrote.
   */
  @Test
  void theCommandRoundTrips() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cmd", "attach");
    m.put("pcap", "/tmp/a&b=c d%.pcapng");
    m.put("set.otel.exporter.otlp.endpoint", "http://h:4318/?x=1&y=2");
    assertEquals(m, io.tdsagent.agent.bootstrap.AgentCommandsAccess.parse(AttachTool.encode(m)));
  }

  @Test
  void badArgumentsPrintTheUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, AttachTool.run(new String[] {"attach"}, System.out, e));
    assertEquals(
        2, AttachTool.run(new String[] {"attach", "123", "--capture", "maybe"}, System.out, e));
    assertEquals(2, AttachTool.run(new String[] {"detach", "123", "--for", "1m"}, System.out, e));
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .contains("usage: java -jar tds-agent.jar attach <pid>"));
  }
}
