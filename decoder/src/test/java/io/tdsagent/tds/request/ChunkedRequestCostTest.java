package io.tdsagent.tds.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.packet.PacketType;
import io.tdsagent.testutil.TdsBytes.Out;
import org.junit.jupiter.api.Test;

/**
 * A request element cut into many small chunks (a table-valued parameter's column list, MS-TDS
 * 2.2.5.5.5.1) must cost linear work in its length, counted by the decoder itself, and decode as it
 * does whole.
 */
class ChunkedRequestCostTest {
  static final byte[] COLLATION = {0x09, 0x04, (byte) 0xD0, 0x00, 0x34};

  /**
   * An RPC to dbo.load_rows with a TVP of {@code columns} NVARCHAR(100) columns and no rows, then
   * an int.
   */
  static byte[] wideTvpRpc(int columns) {
    Out o =
        new Out()
            .u32le(22)
            .u32le(18)
            .u16le(2)
            .u64le(0)
            .u32le(1); // ALL_HEADERS: transaction descriptor
    o.usVarchar("dbo.load_rows").u16le(0);
    o.bVarchar("@rows")
        .u8(0)
        .u8(0xF3)
        .bVarchar("")
        .bVarchar("dbo")
        .bVarchar("WideRow")
        .u16le(columns);
    for (int i = 0; i < columns; i++) {
      o.u32le(0)
          .u16le(1)
          .u8(0xE7)
          .u16le(200)
          .bytes(COLLATION)
          .bVarchar(String.format("column_%04d_with_a_long_descriptive_name_as_reports_have", i));
    }
    o.u8(0); // TVP_END_TOKEN: end of the metadata
    o.u8(0); // TVP_END_TOKEN: no rows
    o.bVarchar("@n").u8(0).u8(0x26).u8(4).u8(4).u32le(42);
    return o.toByteArray();
  }

  static final class Run {
    final RequestDecoder decoder = new RequestDecoder(1 << 20, 4096, 0, 64);
    String result;

    Run feed(byte[] b, int chunk) {
      decoder.tdsVersion(0x74000004);
      decoder.start(PacketType.RPC);
      for (int off = 0; off < b.length; off += chunk) {
        decoder.feed(b, off, Math.min(chunk, b.length - off));
      }
      result = decoder.finish() + " " + decoder.errors();
      return this;
    }
  }

  @Test
  void wideTvpInSmallChunksCostsLinearWork() {
    byte[] big = wideTvpRpc(1900);
    assertTrue(big.length > 240_000, "about 245 KB: " + big.length);
    Run whole = new Run().feed(big, big.length);
    assertTrue(
        whole.result.contains("dbo.load_rows") && whole.result.endsWith(" null"), whole.result);
    assertTrue(whole.result.contains("@n int"), whole.result);
    for (int chunk : new int[] {16, 64, 1000}) {
      Run r = new Run().feed(big, chunk);
      assertEquals(whole.result, r.result, "chunks of " + chunk);
      assertTrue(
          r.decoder.bytesExamined() <= 4L * big.length,
          "chunks of "
              + chunk
              + ": "
              + r.decoder.bytesExamined()
              + " bytes examined for "
              + big.length);
    }
    byte[] medium = wideTvpRpc(400);
    Run bytewise = new Run().feed(medium, 1);
    assertEquals(new Run().feed(medium, medium.length).result, bytewise.result, "1-byte chunks");
    assertTrue(
        bytewise.decoder.bytesExamined() <= 4L * medium.length,
        "1-byte chunks: "
            + bytewise.decoder.bytesExamined()
            + " bytes examined for "
            + medium.length);
  }
}
