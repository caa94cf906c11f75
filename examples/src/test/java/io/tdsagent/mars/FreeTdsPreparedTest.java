package io.tdsagent.mars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.LabServer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FreeTDS's ODBC driver sends a parameterised statement as {@code sp_prepexec} with the statement
 * as an NTEXT parameter, which in an RPC has no TextPointer/Timestamp (MS-TDS 2.2.5.2.3,
 * TYPE_VARBYTE). Captured with tcpdump against the lab server and replayed with the replay jar: the
 * statement text is decoded and no decode error is reported.
 */
class FreeTdsPreparedTest {
  static FreeTdsClient freeTds;

  @TempDir Path dir;

  @BeforeAll
  static void tools() {
    freeTds = FreeTdsClient.require();
  }

  @Test
  void spPrepexecWithAnNtextStatementIsDecoded() throws Exception {
    Path pcap = dir.resolve("prepexec.pcap");
    String out;
    try (LabServer server =
            LabServer.builder()
                .login("sa", "Secret-1")
                .encryption(Encryption.NOT_SUPPORTED)
                .build()
                .start();
        LoopbackCapture capture = LoopbackCapture.start(freeTds.tcpdump, server.port(), pcap)) {
      out = freeTds.run(dir, "prepared_client.py", server, "sa", "Secret-1");
      capture.stop();
    }
    assertEquals(42, MarsFreeTdsTest.jsonInt(out, "answer"), out);
    String json = FreeTdsClient.replayJson(pcap);
    assertTrue(json.contains("\"rpc.procedure\"") || json.contains("sp_prepexec"), json);
    assertFalse(json.contains("tds.decode_error"), json);
    assertTrue(json.contains("SELECT @P1 AS answer"), json);
  }
}
