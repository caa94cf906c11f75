package io.tdsagent.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tdsagent.agent.instrumentation.jtds.JtdsInstrumentation;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

class JtdsHookCheckTest {
  @Test
  void jtds131HasEveryHook() {
    TypeDescription socket = TypePool.Default.ofSystemLoader().describe(JtdsInstrumentation.SHARED_SOCKET).resolve();
    assertEquals(List.of(), JtdsInstrumentation.CHECK.missing(socket));
  }

  @Test
  void anotherClassMissesThemAll() {
    assertEquals(List.of("SharedSocket(JtdsConnection)", "byte[] sendNetPacket(VirtualSocket,byte[])",
        "byte[] readPacket(byte[])", "enableEncryption(String)", "boolean cancel(VirtualSocket)",
        "field socket", "field host", "field port"),
        JtdsInstrumentation.CHECK.missing(TypeDescription.ForLoadedType.of(Object.class)));
  }
}
