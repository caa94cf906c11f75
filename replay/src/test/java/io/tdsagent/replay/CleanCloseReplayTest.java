package io.tdsagent.replay;

import static io.tdsagent.replay.Run.attrs;
import static io.tdsagent.replay.Run.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.capture.CaptureReader;
import io.tdsagent.capture.CapturedFrame;
import io.tdsagent.testutil.Captures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that closes cleanly (FIN, the server's FIN, the last ACK) and then resets the
 * connection, as mssql-jdbc and tedious were seen doing: the real Babelfish captures of those two
 * clients with the client's RST inserted right after the client's FIN (a copy of the FIN with flags
 * RST|ACK and the next sequence number), the server's FIN crossing it. The connection ended
 * normally: no error, no connection_reset.
 */
class CleanCloseReplayTest {
  @TempDir Path dir;

  /**
   * The capture's Ethernet frames as a classic pcap, with the client's RST right after the client's
   * FIN.
   */
  static byte[] withClientRstAfterItsFin(String capture) throws IOException {
    List<CapturedFrame> frames = new ArrayList<>();
    try (CaptureReader r = CaptureReader.open(Captures.path(capture))) {
      for (CapturedFrame f; (f = r.next()) != null; ) {
        frames.add(f);
      }
    }
    int fin = -1;
    for (int i = 0; i < frames.size() && fin < 0; i++) {
      byte[] d = frames.get(i).data();
      int tcp = 14 + (d[14] & 0x0F) * 4;
      int srcPort = (d[tcp] & 0xFF) << 8 | d[tcp + 1] & 0xFF;
      if (srcPort != 1433 && (d[tcp + 13] & 0x01) != 0) {
        fin = i;
      }
    }
    assertTrue(fin > 0, "the client's FIN");
    CapturedFrame finFrame = frames.get(fin);
    byte[] rst = finFrame.data().clone();
    int tcp = 14 + (rst[14] & 0x0F) * 4;
    ByteBuffer.wrap(rst, tcp + 4, 4)
        .putInt(ByteBuffer.wrap(rst, tcp + 4, 4).getInt() + 1); // after the FIN
    rst[tcp + 13] = 0x14; // RST|ACK
    frames.add(fin + 1, new CapturedFrame(1, finFrame.timestampNanos() + 1_000, rst, rst.length));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0xA1B2C3D4)
        .putShort((short) 2)
        .putShort((short) 4)
        .putInt(0)
        .putInt(0)
        .putInt(65535)
        .putInt(1);
    out.writeBytes(h.array());
    for (CapturedFrame f : frames) {
      ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      long us = f.timestampNanos() / 1000;
      rec.putInt((int) (us / 1_000_000))
          .putInt((int) (us % 1_000_000))
          .putInt(f.data().length)
          .putInt(f.originalLength());
      out.writeBytes(rec.array());
      out.writeBytes(f.data());
    }
    return out.toByteArray();
  }

  @Test
  void clientRstAfterACleanClientFinIsNoError() throws IOException {
    for (String capture : new String[] {"bbf-mssqljdbc-basic.pcapng", "bbf-tedious-rpc.pcapng"}) {
      Path p = dir.resolve(capture + ".rst.pcap");
      Files.write(p, withClientRstAfterItsFin(capture));
      Run r = Run.of("--json", p.toString());
      assertEquals(0, r.code, r.toString());
      List<Map<String, Object>> spans = r.spans();
      Map<String, Object> root = one(spans, "SQL Server connection");
      Map<String, Object> a = attrs(root);
      assertEquals("client FIN", a.get("tds.tcp.close"), capture + ": " + a);
      assertEquals(false, a.get("tds.tcp.close_abnormal"), capture + ": " + a);
      assertNull(a.get("error.type"), capture + ": " + a);
      assertNotEquals("ERROR", root.get("status"), capture + ": " + root);
      assertTrue(String.valueOf(a.get("tds.tcp.close_reason")).contains("RST"), capture + ": " + a);
      assertEquals(
          "success", attrs(one(spans, "SQL Server login")).get("tds.login.outcome"), capture);
    }
  }
}
