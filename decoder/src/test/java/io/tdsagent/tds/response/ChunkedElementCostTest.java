package io.tdsagent.tds.response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.token.ColMetadata;
import io.tdsagent.testutil.TdsBytes;
import io.tdsagent.testutil.TdsBytes.Out;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An element cut into many small chunks (a wide COLMETADATA written by a server in small pieces)
 * must cost linear work in its length: the parser's own count of bytes it went through, failed
 * attempts included, is held to a small multiple of the input, and the events are those of the
 * whole stream.
 */
class ChunkedElementCostTest {
  /**
   * MS-TDS 2.2.7.4 COLMETADATA of {@code columns} NVARCHAR(100) columns with ~56-character names.
   */
  static byte[] wideColMetadata(int columns) {
    Out s = new Out().u8(0x81).u16le(columns);
    for (int i = 0; i < columns; i++) {
      s.u32le(0)
          .u16le(1)
          .u8(0xE7)
          .u16le(200)
          .bytes(TokenStreamParserTest.COLLATION)
          .bVarchar(String.format("column_%04d_with_a_long_descriptive_name_as_reports_have", i));
    }
    return s.toByteArray();
  }

  /**
   * COLMETADATA, a row, an INFO, a RETURNSTATUS and a DONE: lengths declared, fixed and undeclared.
   */
  static byte[] stream(int columns) {
    Out s = new Out().bytes(wideColMetadata(columns));
    s.u8(0xD1);
    for (int i = 0; i < columns; i++) {
      s.u16le(2).u8('x').u8(0);
    }
    s.bytes(TdsBytes.serverMessage(false, 5701, 2, 0, "x".repeat(3000), "SRV"));
    s.u8(0x79).u32le(0);
    s.bytes(TdsBytes.done(0xFD, 0x10, 0xC1, 1));
    return s.toByteArray();
  }

  static final class Run {
    final TokenStreamParserTest.Rec rec = new TokenStreamParserTest.Rec();
    final TokenStreamParser parser = new TokenStreamParser(rec, 1 << 20).tdsVersion(0x74000004);

    Run feed(byte[] b, int chunk) {
      for (int off = 0; off < b.length; off += chunk) {
        parser.feed(b, off, Math.min(chunk, b.length - off));
      }
      parser.endOfMessage();
      return this;
    }
  }

  @Test
  void wideColMetadataInSmallChunksCostsLinearWork() {
    byte[] big = stream(1900);
    assertTrue(big.length > 240_000, "about 245 KB: " + big.length);
    Run whole = new Run().feed(big, big.length);
    assertEquals(0, whole.rec.errors, whole.rec.out.toString());
    List<String> expected = whole.rec.out;
    assertEquals(1900, ((ColMetadata) whole.rec.tokens.get(0)).columns().size());
    assertEquals(
        5, expected.size(), expected.toString()); // COLMETADATA, row, INFO, RETURNSTATUS, DONE

    for (int chunk : new int[] {16, 64, 1000, 4096}) {
      Run r = new Run().feed(big, chunk);
      assertEquals(expected, r.rec.out, "chunks of " + chunk);
      long examined = r.parser.bytesExamined();
      assertTrue(
          examined <= 4L * big.length,
          "chunks of " + chunk + ": " + examined + " bytes examined for " + big.length);
    }
    byte[] medium = stream(400); // ~50 KB one byte at a time
    Run wholeMedium = new Run().feed(medium, medium.length);
    Run bytewise = new Run().feed(medium, 1);
    assertEquals(wholeMedium.rec.out, bytewise.rec.out, "1-byte chunks");
    assertTrue(
        bytewise.parser.bytesExamined() <= 4L * medium.length,
        "1-byte chunks: "
            + bytewise.parser.bytesExamined()
            + " bytes examined for "
            + medium.length);
  }

  /** A held element whose bytes were all in when the message ended is still decoded, at the end. */
  @Test
  void aHeldElementIsDecodedAtTheEndOfItsMessage() {
    byte[] meta = wideColMetadata(50);
    Run r = new Run();
    // the first attempt fails a few bytes in; the rest arrives in one piece, less than twice what
    // was held
    r.parser.feed(meta, 0, meta.length / 2 + 1);
    r.parser.feed(meta, meta.length / 2 + 1, meta.length - meta.length / 2 - 1);
    r.parser.endOfMessage();
    assertEquals(0, r.rec.errors, r.rec.out.toString());
    assertEquals(50, ((ColMetadata) r.rec.tokens.get(0)).columns().size());
  }

  /**
   * CPU time and parse work of the stream of {@code columns} columns fed in chunks of {@code chunk}
   * bytes, on this thread: {@code java -cp decoder/target/classes:decoder/target/test-classes
   * io.tdsagent.tds.response.ChunkedElementCostTest 1900 16} (a figure for BENCHMARKS, not a test).
   */
  public static void main(String[] args) {
    int columns = Integer.parseInt(args[0]);
    int chunk = Integer.parseInt(args[1]);
    byte[] b = stream(columns);
    java.lang.management.ThreadMXBean t = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu = t.getCurrentThreadCpuTime();
    Run r = new Run().feed(b, Math.min(chunk, b.length));
    cpu = t.getCurrentThreadCpuTime() - cpu;
    System.out.printf(
        "%d columns, %d bytes in chunks of %d: %d events, %d bytes examined, CPU %.1f ms%n",
        columns, b.length, chunk, r.rec.out.size(), r.parser.bytesExamined(), cpu / 1e6);
  }
}
