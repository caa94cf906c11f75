package io.tdsagent.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tdsagent.agent.instrumentation.jtds.JtdsInstrumentation;
import io.tdsagent.agent.instrumentation.weave.ClassBytes;
import java.util.List;
import org.junit.jupiter.api.Test;

class JtdsHookCheckTest {
  @Test
  void jtds131HasEveryHook() {
    assertEquals(
        List.of(),
        JtdsInstrumentation.CHECK.missing(ClassBytes.of(JtdsInstrumentation.SHARED_SOCKET)));
  }

  @Test
  void anotherClassMissesThemAll() {
    assertEquals(
        List.of(
            "SharedSocket(JtdsConnection)",
            "byte[] sendNetPacket(VirtualSocket,byte[])",
            "byte[] readPacket(byte[])",
            "enableEncryption(String)",
            "boolean cancel(VirtualSocket)",
            "field socket",
            "field host",
            "field port"),
        JtdsInstrumentation.CHECK.missing(ClassBytes.of(Object.class)));
  }
}
