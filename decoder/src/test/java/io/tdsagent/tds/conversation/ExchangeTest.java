package io.tdsagent.tds.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.RequestEvent;
import io.tdsagent.tds.event.ResponseEndEvent;
import io.tdsagent.tds.event.ResponseStartEvent;
import io.tdsagent.tds.event.ResultSetEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.request.AttentionRequest;
import io.tdsagent.tds.request.BulkLoadRequest;
import io.tdsagent.tds.request.RpcCall;
import io.tdsagent.tds.request.RpcParameter;
import io.tdsagent.tds.request.RpcRequest;
import io.tdsagent.tds.request.SqlBatch;
import io.tdsagent.tds.request.TransactionManagerRequest;
import io.tdsagent.testutil.Recorder;
import io.tdsagent.testutil.TdsBytes;
import io.tdsagent.testutil.TdsBytes.Out;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Requests and responses after the login, through TdsConversation (joined mid-session). */
class ExchangeTest {
  static final byte[] COLLATION = {0x09, 0x04, (byte) 0xD0, 0x00, 0x34};

  static byte[] allHeaders(long txn, UUID activity) {
    Out h = new Out().u32le(18).u16le(2).u64le(txn).u32le(1);
    if (activity != null) {
      h.u32le(26)
          .u16le(3)
          .u64le(activity.getMostSignificantBits()); // layout irrelevant here: 16 bytes
      h.u64le(activity.getLeastSignificantBits()).u32le(7);
    }
    byte[] body = h.toByteArray();
    return new Out().u32le(body.length + 4).bytes(body).toByteArray();
  }

  static void client(TdsConversation c, byte[] msg, int chunk, long t) {
    for (int off = 0; off < msg.length; off += chunk) {
      c.onClientBytes(msg, off, Math.min(chunk, msg.length - off), t);
    }
  }

  static void server(TdsConversation c, byte[] msg, int chunk, long t) {
    for (int off = 0; off < msg.length; off += chunk) {
      c.onServerBytes(msg, off, Math.min(chunk, msg.length - off), t);
    }
  }

  static List<String> kinds(Recorder r) {
    return r.events.stream()
        .map(e -> e.getClass().getSimpleName())
        .filter(n -> !n.startsWith("Message"))
        .collect(Collectors.toList());
  }

  /**
   * A JDBC batch of prepared statements is one RPC request of as many calls: more calls than the
   * limit is not an error; the first ones are kept and all are counted.
   */
  @Test
  void aBatchOfManyCallsIsCountedNotAnError() {
    int n = DecoderLimits.DEFAULT_MAX_RPC_PARAMETERS + 88;
    Out rpc = new Out().bytes(allHeaders(0, null));
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        rpc.u8(0xFF); // BatchFlag
      }
      // sp_unprepare by ProcID, its one int parameter
      rpc.u16le(0xFFFF).u16le(15).u16le(0).bVarchar("").u8(0).u8(0x26).u8(4).u8(4).u32le(i);
    }
    for (int chunk : new int[] {7, 100000}) {
      Recorder r = new Recorder();
      TdsConversation c = new TdsConversation(r);
      client(c, TdsBytes.message(0x03, rpc.toByteArray(), 4096), chunk, 0);
      assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());
      RpcRequest q = (RpcRequest) r.one(RequestEvent.class).request();
      assertTrue(q.isComplete());
      assertEquals(n, q.callCount());
      assertEquals(DecoderLimits.DEFAULT_MAX_RPC_PARAMETERS, q.calls().size());
      assertEquals("sp_unprepare", q.calls().get(0).procName());
    }
  }

  /** Requests and responses are streamed: a connection past its login holds no message buffer. */
  @Test
  void exchangesKeepNoMessageBuffer() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    for (int i = 0; i < 3; i++) {
      client(c, TdsBytes.message(0x01, TdsBytes.utf16("SELECT " + i), 4096), 100000, i);
      Out done = new Out().u8(0xFD).u16le(0).u16le(0xC1).u64le(0);
      server(c, TdsBytes.message(0x04, done.toByteArray(), 4096), 100000, i);
    }
    assertTrue(kinds(r).contains("ResponseEndEvent"), kinds(r)::toString);
    assertFalse(c.holdsBuffers());
  }

  @Test
  void batchWithHeadersAndResultSetInOrder() {
    for (int chunk : new int[] {1, 5, 64, 100000}) {
      Recorder r = new Recorder();
      TdsConversation c = new TdsConversation(r);
      UUID activity = UUID.randomUUID();
      byte[] batch =
          TdsBytes.concat(allHeaders(0x1234, activity), TdsBytes.utf16("SELECT 1 AS one"));
      client(c, TdsBytes.message(0x01, batch, 32), chunk, 10);
      Out resp =
          new Out()
              .u8(0x81)
              .u16le(1)
              .u32le(0)
              .u16le(0)
              .u8(0x38)
              .bVarchar("one")
              .u8(0xD1)
              .u32le(1)
              .bytes(TdsBytes.done(0xFD, 0x10, 0xC1, 1));
      server(c, TdsBytes.message(0x04, resp.toByteArray(), 20), chunk, 20);
      assertEquals(
          List.of(
              "RequestEvent",
              "ResponseStartEvent",
              "TokenEvent",
              "TokenEvent",
              "ResultSetEvent",
              "ResponseEndEvent"),
          kinds(r),
          "chunk " + chunk);
      RequestEvent q = r.one(RequestEvent.class);
      SqlBatch b = (SqlBatch) q.request();
      assertEquals("SELECT 1 AS one", b.text());
      assertEquals(0x1234, b.headers().transactionDescriptor());
      assertEquals(7, b.headers().activitySequence());
      assertEquals(10, q.firstByteNanos());
      assertEquals(20, r.one(ResponseStartEvent.class).timeNanos());
      ResponseEndEvent end = r.one(ResponseEndEvent.class);
      assertEquals(1, end.rowCount());
      assertTrue(end.complete());
      assertEquals(1, r.one(ResultSetEvent.class).rowCount());
    }
  }

  @Test
  void longBatchTextIsTruncatedNotBuffered() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r, DecoderLimits.defaults().withMaxQueryTextChars(100));
    StringBuilder sb = new StringBuilder();
    while (sb.length() < 200_000) {
      sb.append("INSERT INTO t VALUES (1);\n");
    }
    client(
        c,
        TdsBytes.message(
            0x01, TdsBytes.concat(allHeaders(0, null), TdsBytes.utf16(sb.toString())), 4096),
        4096,
        0);
    SqlBatch b = (SqlBatch) r.one(RequestEvent.class).request();
    assertEquals(100, b.text().length());
    assertTrue(b.isTextTruncated());
    assertEquals(sb.length(), b.textLength());
  }

  static Out rpcByName(Out o, String name, int options) {
    return o.usVarchar(name).u16le(options);
  }

  @Test
  void rpcBatchByIdAndNameWithSeparatorsAndTvp() {
    Out rpc = new Out().bytes(allHeaders(0, null));
    // sp_prepexec by ProcID: @handle int OUTPUT, @params nvarchar, @stmt nvarchar(max) as PLP in 2
    // chunks
    rpc.u16le(0xFFFF).u16le(13).u16le(0x02);
    rpc.bVarchar("@handle").u8(1).u8(0x26).u8(4).u8(0);
    rpc.bVarchar("")
        .u8(0)
        .u8(0xE7)
        .u16le(8000)
        .bytes(COLLATION)
        .u16le(12)
        .bytes(TdsBytes.utf16("@p int"));
    byte[] stmt = TdsBytes.utf16("select * from t where id = @p");
    rpc.bVarchar("")
        .u8(0)
        .u8(0xE7)
        .u16le(0xFFFF)
        .bytes(COLLATION)
        .u64le(stmt.length)
        .u32le(10)
        .bytes(java.util.Arrays.copyOf(stmt, 10))
        .u32le(stmt.length - 10)
        .bytes(java.util.Arrays.copyOfRange(stmt, 10, stmt.length))
        .u32le(0);
    rpc.bVarchar("@p").u8(0).u8(0x26).u8(4).u8(4).u32le(42);
    rpc.u8(0xFF); // BatchFlag
    // a named procedure with a TVP parameter (2 int columns, 2 rows) and a default parameter
    rpcByName(rpc, "dbo.load_rows", 0);
    rpc.bVarchar("@rows").u8(0).u8(0xF3).bVarchar("").bVarchar("dbo").bVarchar("IdList").u16le(2);
    rpc.u32le(0).u16le(0).u8(0x26).u8(4).bVarchar("");
    rpc.u32le(0).u16le(0).u8(0x26).u8(4).bVarchar("");
    rpc.u8(0x10).u16le(1).u16le(1).u8(1); // TVP_ORDER_UNIQUE
    rpc.u8(0);
    rpc.u8(1).u8(4).u32le(1).u8(0).u8(1).u8(4).u32le(2).u8(4).u32le(3).u8(0);
    rpc.bVarchar("@flag").u8(2).u8(0x68).u8(1).u8(0);
    rpc.u8(0xFE); // NoExecFlag
    rpc.u16le(0xFFFF)
        .u16le(15)
        .u16le(0)
        .bVarchar("")
        .u8(0)
        .u8(0x26)
        .u8(4)
        .u8(4)
        .u32le(1); // sp_unprepare
    byte[] msg = TdsBytes.message(0x03, rpc.toByteArray(), 40);
    for (int chunk : new int[] {1, 3, 17, 100000}) {
      Recorder r = new Recorder();
      TdsConversation c = new TdsConversation(r);
      client(c, msg, chunk, 0);
      assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());
      RpcRequest q = (RpcRequest) r.one(RequestEvent.class).request();
      assertTrue(q.isComplete());
      List<RpcCall> calls = q.calls();
      assertEquals(
          List.of("sp_prepexec", "dbo.load_rows", "sp_unprepare"),
          calls.stream().map(RpcCall::procName).collect(Collectors.toList()));
      RpcCall prep = calls.get(0);
      assertTrue(prep.isNoMetadata());
      assertEquals("select * from t where id = @p", prep.statementText());
      assertEquals(
          "[@handle int OUTPUT NULL, ? nvarchar(4000), ? nvarchar(max), @p int]",
          prep.parameters().toString());
      assertNull(prep.parameters().get(3).renderedValue());
      RpcParameter tvp = calls.get(1).parameters().get(0);
      assertEquals("table", tvp.typeName());
      assertEquals("dbo.IdList", tvp.tvpTypeName());
      assertTrue(calls.get(1).parameters().get(1).isDefault());
    }
  }

  /**
   * Real bytes: FreeTDS 1.3.17's ODBC driver (Debian tdsodbc, through pyodbc: {@code
   * cursor.execute("SELECT ? AS answer", 42)}, TDS 7.4) sends sp_prepexec with its parameter
   * declaration and statement as NTEXT, which in an RPC carries a 4-byte length and no
   * TextPointer/Timestamp (MS-TDS 2.2.5.2.3). Captured with tcpdump against the lab server
   * (FreeTdsPreparedTest does the same end to end); tshark 4.0 calls this frame malformed.
   */
  static final String FREETDS_PREPEXEC =
      "030100880000010016000000120000000200000000000000000001000000ffff0d000000"
          + "00012604000000630e0000000904d000340e000000400050003100200049004e005400000063280000000904d000342800"
          + "0000530045004c004500430054002000400050003100200041005300200061006e00730077006500720000002604042a000000";

  @Test
  void freeTdsSpPrepexecWithNtextStatement() {
    byte[] msg = new byte[FREETDS_PREPEXEC.length() / 2];
    for (int i = 0; i < msg.length; i++) {
      msg[i] = (byte) Integer.parseInt(FREETDS_PREPEXEC.substring(2 * i, 2 * i + 2), 16);
    }
    for (int chunk : new int[] {1, 7, msg.length}) {
      Recorder r = new Recorder();
      TdsConversation c =
          new TdsConversation(r, DecoderLimits.defaults().withMaxParameterValueChars(40));
      client(c, msg, chunk, 0);
      assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());
      RpcRequest q = (RpcRequest) r.one(RequestEvent.class).request();
      assertTrue(q.isComplete(), q.toString());
      RpcCall call = q.calls().get(0);
      assertEquals("sp_prepexec", call.procName());
      assertEquals("SELECT @P1 AS answer", call.statementText());
      List<RpcParameter> ps = call.parameters();
      assertEquals(4, ps.size(), ps.toString());
      assertEquals("@P1 INT", ps.get(1).renderedValue());
      assertEquals("42", ps.get(3).renderedValue());
    }
  }

  /** NTEXT in an RPC: CHARBIN_NULL (0xFFFFFFFF) is NULL, a zero length is the empty string. */
  @Test
  void ntextParameterNullAndEmpty() {
    Out rpc = new Out().bytes(allHeaders(0, null)).usVarchar("p").u16le(0);
    rpc.bVarchar("@a").u8(0).u8(0x63).u32le(0x7FFFFFFE).bytes(COLLATION).u32le(0xFFFFFFFFL);
    rpc.bVarchar("@b").u8(0).u8(0x63).u32le(0x7FFFFFFE).bytes(COLLATION).u32le(0);
    rpc.bVarchar("@c").u8(0).u8(0x22).u32le(0x7FFFFFFF).u32le(2).u8(1).u8(2);
    rpc.bVarchar("@d").u8(0).u8(0x26).u8(4).u8(4).u32le(7);
    Recorder r = new Recorder();
    TdsConversation c =
        new TdsConversation(r, DecoderLimits.defaults().withMaxParameterValueChars(10));
    client(c, TdsBytes.packet(0x03, 1, rpc.toByteArray()), 3, 0);
    assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());
    List<RpcParameter> ps =
        ((RpcRequest) r.one(RequestEvent.class).request()).calls().get(0).parameters();
    assertEquals(4, ps.size(), ps.toString());
    assertTrue(ps.get(0).isNull(), ps.toString());
    assertFalse(ps.get(1).isNull(), ps.toString());
    assertEquals(2, ps.get(2).valueLength(), ps.toString());
    assertEquals("7", ps.get(3).renderedValue());
  }

  @Test
  void parameterValuesOnlyWhenOptedIn() {
    Out rpc = new Out().bytes(allHeaders(0, null)).usVarchar("p").u16le(0);
    rpc.bVarchar("@n").u8(0).u8(0x26).u8(8).u8(8).u64le(-5);
    rpc.bVarchar("@s")
        .u8(0)
        .u8(0xE7)
        .u16le(100)
        .bytes(COLLATION)
        .u16le(10)
        .bytes(TdsBytes.utf16("hello"));
    rpc.bVarchar("@g").u8(0).u8(0x24).u8(16).u8(0);
    byte[] msg = TdsBytes.packet(0x03, 1, rpc.toByteArray());
    Recorder r = new Recorder();
    TdsConversation c =
        new TdsConversation(r, DecoderLimits.defaults().withMaxParameterValueChars(3));
    client(c, msg, 7, 0);
    List<RpcParameter> ps =
        ((RpcRequest) r.one(RequestEvent.class).request()).calls().get(0).parameters();
    assertEquals("-5", ps.get(0).renderedValue());
    assertEquals("hel...", ps.get(1).renderedValue());
    assertEquals("NULL", ps.get(2).renderedValue());
  }

  @Test
  void attentionWhileTheResponseStreams() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    client(
        c,
        TdsBytes.packet(
            0x01, 1, TdsBytes.concat(allHeaders(0, null), TdsBytes.utf16("WAITFOR DELAY '1:00'"))),
        100,
        0);
    Out rows =
        new Out().u8(0x81).u16le(1).u32le(0).u16le(0).u8(0x38).bVarchar("x").u8(0xD1).u32le(1);
    server(c, TdsBytes.packet(0x04, 0, rows.toByteArray()), 100, 10); // no EOM yet
    client(c, TdsBytes.packet(0x06, 1, new byte[0]), 100, 20);
    // the server finishes the message it was sending, then acknowledges in the next one
    server(c, TdsBytes.packet(0x04, 1, TdsBytes.done(0xFD, 0x10, 0xC1, 1)), 100, 25);
    assertTrue(r.of(ResponseEndEvent.class).isEmpty(), "open until the acknowledgement");
    server(c, TdsBytes.packet(0x04, 1, TdsBytes.done(0xFD, 0x20, 0, 0)), 100, 30);
    assertEquals(1, r.of(ResponseStartEvent.class).size());
    assertTrue(r.of(RequestEvent.class).get(1).request() instanceof AttentionRequest);
    ResponseEndEvent end = r.one(ResponseEndEvent.class);
    assertTrue(end.cancelRequested());
    assertTrue(end.attentionAcknowledged());
    assertEquals(30, end.timeNanos());
    assertEquals(1, end.rowCount());
    assertTrue(end.finalDone().isAttn());
    assertTrue(end.complete());
  }

  @Test
  void attentionAckInTheSameMessage() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    client(c, TdsBytes.packet(0x01, 1, TdsBytes.utf16("SELECT * FROM big")), 100, 0);
    Out rows =
        new Out().u8(0x81).u16le(1).u32le(0).u16le(0).u8(0x38).bVarchar("x").u8(0xD1).u32le(1);
    server(c, TdsBytes.packet(0x04, 0, rows.toByteArray()), 100, 10);
    client(c, TdsBytes.packet(0x06, 1, new byte[0]), 100, 20);
    server(
        c,
        TdsBytes.packet(
            0x04,
            1,
            TdsBytes.concat(TdsBytes.done(0xFD, 0x11, 0xC1, 1), TdsBytes.done(0xFD, 0x20, 0, 0))),
        100,
        30);
    ResponseEndEvent end = r.one(ResponseEndEvent.class);
    assertTrue(end.cancelRequested() && end.attentionAcknowledged());
    assertEquals(1, end.resultSetCount());
  }

  @Test
  void transactionManagerAndBulkLoad() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    client(
        c,
        TdsBytes.packet(
            0x0E,
            1,
            TdsBytes.concat(allHeaders(0, null), new Out().u16le(5).u8(2).u8(0).toByteArray())),
        3,
        0);
    server(c, TdsBytes.packet(0x04, 1, TdsBytes.done(0xFD, 0, 0, 0)), 100, 1);
    Out bulk =
        new Out()
            .u8(0x81)
            .u16le(2)
            .u32le(0)
            .u16le(0)
            .u8(0x38)
            .bVarchar("id")
            .u32le(0)
            .u16le(1)
            .u8(0xE7)
            .u16le(20)
            .bytes(COLLATION)
            .bVarchar("name");
    for (int i = 0; i < 1000; i++) {
      bulk.u8(0xD1).u32le(i).u16le(4).bytes(TdsBytes.utf16("ab"));
    }
    bulk.bytes(TdsBytes.done(0xFD, 0, 0, 0));
    client(c, TdsBytes.message(0x07, bulk.toByteArray(), 512), 100, 2);
    List<RequestEvent> q = r.of(RequestEvent.class);
    TransactionManagerRequest tm = (TransactionManagerRequest) q.get(0).request();
    assertEquals("TM_BEGIN_XACT", tm.requestTypeName());
    assertEquals(2, tm.isolationLevel());
    BulkLoadRequest b = (BulkLoadRequest) q.get(1).request();
    assertEquals(1000, b.rowCount());
    assertEquals("[id int, name nvarchar(10)]", b.columns().columns().toString());
    assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());
  }

  @Test
  void garbageAfterLoginNeverThrows() {
    Random rnd = new Random(11);
    for (int i = 0; i < 300; i++) {
      Recorder r = new Recorder();
      TdsConversation c = new TdsConversation(r);
      for (int m = 0; m < 6; m++) {
        byte[] junk = new byte[rnd.nextInt(3000)];
        rnd.nextBytes(junk);
        int type = new int[] {0x01, 0x03, 0x0E, 0x07, 0x06}[rnd.nextInt(5)];
        client(c, TdsBytes.message(type, junk, 512), 1 + rnd.nextInt(700), m);
        rnd.nextBytes(junk);
        server(c, TdsBytes.message(0x04, junk, 512), 1 + rnd.nextInt(700), m);
      }
      c.onClose(99);
      assertFalse(
          c.isStopped()
              && r.of(DecodeErrorEvent.class).stream().anyMatch(e -> e.layer().equals("internal")),
          r.dump());
      // every response that started ended
      long starts = r.of(ResponseStartEvent.class).size();
      assertEquals(starts, r.of(ResponseEndEvent.class).size());
      for (TdsEvent e : r.events) {
        assertTrue(e.toString().length() < 20_000);
      }
    }
  }
}
