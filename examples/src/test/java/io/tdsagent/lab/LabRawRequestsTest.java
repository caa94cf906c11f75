package io.tdsagent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tdsagent.lab.sql.Column;
import io.tdsagent.lab.sql.LabCatalog;
import io.tdsagent.lab.sql.QueryResult;
import io.tdsagent.lab.sql.ResultWriter;
import io.tdsagent.lab.sql.TokenOutput;
import io.tdsagent.lab.token.TokenType;
import io.tdsagent.lab.token.TokenWriter;
import io.tdsagent.lab.wire.TdsBuffer;
import io.tdsagent.lab.wire.TdsCursor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Requests mssql-jdbc does not send (RPC by procedure name), exact token order, and the server's
 * own rate (printed).
 */
class LabRawRequestsTest {

  /**
   * Token types of a response, in order, stepping over each token by its known layout (lab tokens
   * only).
   */
  static List<String> tokens(byte[] r) throws Exception {
    List<String> out = new ArrayList<>();
    TdsCursor c = new TdsCursor(r);
    List<Column> cols = new ArrayList<>();
    while (c.remaining() > 0) {
      int t = c.uint8();
      switch (t) {
        case 0x81:
          { // COLMETADATA
            int n = c.uint16();
            cols.clear();
            for (int i = 0; i < n; i++) {
              c.int32();
              int flags = c.uint16();
              Column col = io.tdsagent.lab.sql.ValueCodec.readTypeInfo("", c);
              cols.add(col.nullable((flags & 1) != 0 || col.nullable()));
              c.utf16(c.uint8());
            }
            out.add("COLMETADATA");
            break;
          }
        case 0xD1:
          for (Column col : cols) {
            io.tdsagent.lab.sql.ValueCodec.readValue(col, c);
          }
          out.add("ROW");
          break;
        case 0x79:
          out.add("RETURNSTATUS " + c.int32());
          break;
        case 0xAC:
          {
            int ordinal = c.uint16();
            String name = c.utf16(c.uint8());
            c.uint8();
            c.int32();
            c.uint16();
            Column col = io.tdsagent.lab.sql.ValueCodec.readTypeInfo(name, c);
            out.add(
                "RETURNVALUE "
                    + ordinal
                    + " "
                    + name
                    + "="
                    + io.tdsagent.lab.sql.ValueCodec.readValue(col, c));
            break;
          }
        case 0xAA:
        case 0xAB:
        case 0xE3:
          {
            int len = c.uint16();
            int pos = c.position();
            int number = c.int32();
            c.position(pos + len);
            out.add(
                (t == 0xAA ? "ERROR " : t == 0xAB ? "INFO " : "ENVCHANGE ")
                    + (t == 0xE3 ? "" : number));
            break;
          }
        case 0xFD:
        case 0xFE:
        case 0xFF:
          {
            int status = c.uint16();
            int cmd = c.uint16();
            long count = c.int64();
            out.add(
                (t == 0xFD ? "DONE" : t == 0xFE ? "DONEPROC" : "DONEINPROC")
                    + String.format(" 0x%x 0x%x %d", status, cmd, count));
            break;
          }
        default:
          throw new AssertionError(
              String.format("token 0x%02X at %d: %s", t, c.position() - 1, out));
      }
    }
    return out;
  }

  /**
   * RPC by name: dbo.add_numbers @a=20, @b=22, @sum OUTPUT, then sp_executesql in the same message.
   */
  private static byte[] rpcByName() {
    TdsBuffer b = new TdsBuffer();
    RawTdsClient.allHeaders(b);
    String proc = "dbo.add_numbers";
    b.uint16(proc.length()).utf16(proc).uint16(0);
    b.bVarchar("@a").byte1(0).byte1(0x26).byte1(4).byte1(4).int32(20);
    b.bVarchar("").byte1(0).byte1(0x26).byte1(4).byte1(4).int32(22); // positional: @b
    b.bVarchar("@sum").byte1(1).byte1(0x26).byte1(4).byte1(0); // OUTPUT, NULL in
    b.byte1(0xFF); // BatchFlag: next call
    b.uint16(0xFFFF).uint16(10).uint16(0); // sp_executesql by ProcID
    String stmt = "SELECT 7";
    b.bVarchar("")
        .byte1(0)
        .byte1(0xE7)
        .uint16(8000)
        .bytes(new byte[] {9, 4, (byte) 0xD0, 0, 0x34})
        .uint16(2 * stmt.length())
        .utf16(stmt);
    return b.toByteArray();
  }

  @Test
  void rpcByProcedureNameAndBatchedCalls() throws Exception {
    try (LabServer server =
            LabServer.builder()
                .encryption(Encryption.NOT_SUPPORTED)
                .login("sa", "pw")
                .build()
                .start();
        RawTdsClient client = new RawTdsClient(server, "sa", "pw", 4096)) {
      client.send(0x03, rpcByName());
      List<String> tokens = tokens(client.readMessage());
      assertEquals(
          List.of(
              "RETURNSTATUS 0",
              "RETURNVALUE 2 @sum=42",
              "DONEPROC 0x1 0x0 0",
              "COLMETADATA",
              "ROW",
              "DONEINPROC 0x11 0xc1 1",
              "RETURNSTATUS 0",
              "DONEPROC 0x0 0x0 0"),
          tokens);

      client.send(
          0x01, RawTdsClient.sqlBatch("SELECT 1; SELECT 1/0; SELECT 2; RAISERROR('hi', 10, 1)"));
      assertEquals(
          List.of(
              "COLMETADATA",
              "ROW",
              "DONE 0x11 0xc1 1",
              "COLMETADATA",
              "ERROR 8134",
              "DONE 0x3 0xc1 0",
              "COLMETADATA",
              "ROW",
              "DONE 0x11 0xc1 1",
              "INFO 50000",
              "DONE 0x0 0x0 0"),
          tokens(client.readMessage()));

      client.send(0x01, RawTdsClient.sqlBatch("EXEC dbo.get_rows 2"));
      assertEquals(
          List.of(
              "COLMETADATA", "ROW", "ROW", "DONE 0x11 0xc1 2", "RETURNSTATUS 2", "DONE 0x0 0xe0 0"),
          tokens(client.readMessage()));
    }
  }

  /**
   * Decoded by the project's decoder: row 3, NULL in every nullable column, is an NBCROW, the
   * others ROWs.
   */
  @Test
  void typedRowsDecodeAndUseNbcRow() throws Exception {
    TdsBuffer buf = new TdsBuffer();
    ResultWriter.write(QueryResult.of(LabCatalog.TYPED_ROWS), new TokenWriter(buf, "x"));
    byte[] r = buf.toByteArray();
    List<String> seen = new ArrayList<>();
    io.tdsagent.tds.response.TokenStreamParser p =
        new io.tdsagent.tds.response.TokenStreamParser(
                new io.tdsagent.tds.response.TokenHandler() {
                  @Override
                  public void onToken(io.tdsagent.tds.token.Token token) {
                    seen.add(token.type().name());
                  }

                  @Override
                  public void onRow(int tokenType) {
                    seen.add(
                        tokenType == TokenType.NBCROW
                            ? "NBCROW"
                            : tokenType == TokenType.ROW
                                ? "ROW"
                                : "0x" + Integer.toHexString(tokenType));
                  }

                  @Override
                  public void onError(String reason) {
                    seen.add("error: " + reason);
                  }
                },
                1 << 20)
            .tdsVersion(0x74000004);
    p.feed(r, 0, r.length);
    p.endOfMessage();
    List<String> expected = new ArrayList<>(List.of("COLMETADATA"));
    for (int i = 1; i <= LabCatalog.TYPED_ROWS.rows().size(); i++) {
      expected.add(i == 3 ? "NBCROW" : "ROW");
    }
    expected.add("DONE");
    assertEquals(expected, seen);
  }

  /**
   * Prints the server's own rate, without mssql-jdbc (encoding big_rows in memory, and streaming it
   * over loopback to a client that only reads packets), for BENCHMARKS.md; it asserts only that the
   * stream arrives whole, in full packets: speed is measured in benchmarks, not asserted here.
   */
  @Test
  void bigRowsStreamWholeInFullPacketsAndTheRateIsPrinted() throws Exception {
    long n = 300_000;
    long[] bytes = new long[1];
    TdsBuffer sink = new TdsBuffer(64 * 1024);
    TokenOutput discard =
        new TokenOutput() {
          @Override
          public TdsBuffer buffer() {
            return sink;
          }

          @Override
          public void spill() {
            if (sink.size() > 32 * 1024) {
              bytes[0] += sink.size();
              sink.reset();
            }
          }

          @Override
          public void tokenBoundary() {
            spill();
          }

          @Override
          public void pause(long millis) {}
        };
    for (int round = 0; round < 2; round++) { // the first round warms up the JIT
      bytes[0] = 0;
      sink.reset(); // what the last round left unspilled
      long t0 = System.nanoTime();
      ResultWriter.writeParts(
          LabCatalog.bigRows(n).parts(),
          discard,
          new TokenWriter(sink, "x"),
          TokenType.DONE,
          false);
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "big_rows encode only: %d rows in %.2f s: %.0f rows/s, %.1f MB/s%n",
          n, s, n / s, bytes[0] / s / 1e6);
    }
    long encoded = bytes[0] + sink.size();
    try (LabServer server =
            LabServer.builder()
                .encryption(Encryption.NOT_SUPPORTED)
                .login("sa", "pw")
                .build()
                .start();
        RawTdsClient client = new RawTdsClient(server, "sa", "pw", 32767)) {
      for (int round = 0; round < 2; round++) {
        long t0 = System.nanoTime();
        client.send(0x01, RawTdsClient.sqlBatch("SELECT TOP (" + n + ") * FROM dbo.big_rows"));
        long size = client.drainMessage();
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            "big_rows over loopback (raw reader): %d rows, %d packets, %.1f MB in %.2f s:"
                + " %.0f rows/s%n",
            n, client.lastPackets, size / 1e6, s, n / s);
        assertEquals(
            encoded,
            size - 8L * client.lastPackets,
            "the whole token stream, as encoded in memory");
        assertEquals((size + 32767 - 1) / 32767, client.lastPackets, "in full 32,767-byte packets");
      }
    }
  }
}
