package io.tdsagent.bench.jmh;

import io.tdsagent.bench.BenchServer;
import io.tdsagent.lab.sql.Column;
import io.tdsagent.lab.sql.QueryResult;
import io.tdsagent.lab.sql.ResultTable;
import io.tdsagent.lab.sql.ResultWriter;
import io.tdsagent.lab.token.TokenWriter;
import io.tdsagent.lab.wire.TdsBuffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * TDS bytes as mssql-jdbc writes and reads them, made with the lab server's own encoders: a SQL
 * batch request (with ALL_HEADERS), the lab's answer to {@code SELECT 1}, and the {@code
 * dbo.big_rows} result of the whole-process benchmark, split into packets of the driver's default
 * size (8000 bytes).
 */
final class Wire {
  static final int PACKET_SIZE = 8000;
  static final int SQL_BATCH = 0x01;
  static final int TABULAR_RESULT = 0x04;
  static final int HEADER = 8;

  private Wire() {}

  /**
   * SQL_BATCH: ALL_HEADERS (transaction descriptor) then the UTF-16LE text, as mssql-jdbc sends it.
   */
  static byte[] sqlBatch(String sql) {
    TdsBuffer b = new TdsBuffer(64);
    b.int32(22).int32(18).uint16(2).int64(0).int32(1);
    b.bytes(sql.getBytes(StandardCharsets.UTF_16LE));
    return packets(SQL_BATCH, b.toByteArray(), PACKET_SIZE);
  }

  static byte[] select1Response() {
    return response(QueryResult.of(ResultTable.single(Column.integer(""), 1)));
  }

  static byte[] bigRowsResponse(int rows) {
    return response(QueryResult.of(BenchServer.table(rows)));
  }

  private static byte[] response(QueryResult r) {
    TdsBuffer b = new TdsBuffer(4096);
    ResultWriter.write(r, new TokenWriter(b, "tds-lab"));
    return packets(TABULAR_RESULT, b.toByteArray(), PACKET_SIZE);
  }

  static byte[] packets(int type, byte[] payload, int packetSize) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(
            payload.length + payload.length / (packetSize - HEADER) * HEADER + 64);
    int chunk = packetSize - HEADER;
    int pos = 0;
    int id = 1;
    do {
      int n = Math.min(chunk, payload.length - pos);
      boolean last = pos + n >= payload.length;
      int total = n + HEADER;
      out.write(type);
      out.write(last ? 1 : 0);
      out.write(total >>> 8);
      out.write(total & 0xFF);
      out.write(0);
      out.write(51);
      out.write(id++ & 0xFF);
      out.write(0);
      out.write(payload, pos, n);
      pos += n;
    } while (pos < payload.length);
    return out.toByteArray();
  }

  /**
   * Where each read of the driver starts and ends: the 8-byte header, then the payload, packet
   * after packet.
   */
  static int[] driverReads(byte[] message) {
    int packets = 0;
    for (int p = 0;
        p < message.length;
        p += ((message[p + 2] & 0xFF) << 8) | (message[p + 3] & 0xFF)) {
      packets++;
    }
    int[] bounds = new int[packets * 2 + 1];
    int i = 0;
    for (int p = 0;
        p < message.length;
        p += ((message[p + 2] & 0xFF) << 8) | (message[p + 3] & 0xFF)) {
      bounds[i++] = p;
      bounds[i++] = p + HEADER;
    }
    bounds[i] = message.length;
    return bounds;
  }
}
