package io.tdsagent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.RequestEvent;
import io.tdsagent.tds.event.ResponseEndEvent;
import io.tdsagent.tds.event.ResultSetEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.request.Request;
import io.tdsagent.tds.request.RpcCall;
import io.tdsagent.tds.request.RpcRequest;
import io.tdsagent.tds.request.SqlBatch;
import io.tdsagent.tds.token.Column;
import io.tdsagent.tds.token.TokenType;
import io.tdsagent.testutil.Captures;
import io.tdsagent.testutil.Recorder;
import io.tdsagent.testutil.SecretScanner;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Requests and responses after the login in real traffic (values as tshark shows them, see
 * captures/README.md).
 */
class PostLoginCaptureTest {
  private static List<Recorder> replay(String name) throws Exception {
    List<Recorder> recs = new ArrayList<>();
    CaptureReplay.replay(
        Captures.path(name),
        c -> {
          Recorder r = new Recorder();
          recs.add(r);
          return r;
        });
    for (Recorder r : recs) {
      assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), name + ": " + r.dump());
      assertPaired(r);
    }
    return recs;
  }

  /** Every request is followed by at most one response; every response start has its end. */
  private static void assertPaired(Recorder r) {
    int open = 0;
    for (TdsEvent e : r.events) {
      if (e instanceof io.tdsagent.tds.event.ResponseStartEvent) {
        assertEquals(0, open, r.dump());
        open++;
      } else if (e instanceof ResponseEndEvent) {
        assertEquals(1, open, r.dump());
        open--;
        assertTrue(((ResponseEndEvent) e).complete(), e.toString());
      }
    }
  }

  private static String describe(Request q) {
    if (q instanceof SqlBatch) {
      return "batch:" + ((SqlBatch) q).text().trim();
    }
    return ((RpcRequest) q)
        .calls().stream().map(RpcCall::procName).collect(Collectors.joining("+"));
  }

  @Test
  void wiresharkRpcSampleYieldsEveryRequest() throws Exception {
    List<Recorder> recs = replay("tds-rpc-requests.pcap");
    List<String> requests =
        recs.stream()
            .flatMap(r -> r.of(RequestEvent.class).stream())
            .map(e -> describe(e.request()))
            .collect(Collectors.toList());
    assertEquals(
        List.of(
            "batch:set transaction isolation level  read committed  set implicit_transactions off",
            "sp_prepexec",
            "batch:COMMIT TRANSACTION",
            "p_GetBogusData",
            "sp_executesql",
            "batch:set transaction isolation level  read committed  set implicit_transactions off",
            "sp_prepexec",
            "sp_prepexec",
            "sp_execute+sp_execute",
            "sp_prepexec",
            "sp_execute",
            "sp_prepexec",
            "p_SaveExample",
            "p_SetBogusSample",
            "p_GetMyExampleTableRowCount",
            "proc_GetMyExampleTableSampleMetaData",
            "proc_GetMyExampleTableSampleMetaData",
            "proc_FetchMyExampleData",
            "dbo.proc_GetMySampleDataItems"),
        requests);
    List<RequestEvent> all =
        recs.stream().flatMap(r -> r.of(RequestEvent.class).stream()).collect(Collectors.toList());
    assertTrue(all.stream().allMatch(e -> e.request().isComplete()));
    // sp_executesql by name with fNoMetaData, its @stmt kept as the query text
    RpcCall exec = ((RpcRequest) all.get(4).request()).calls().get(0);
    assertTrue(exec.isNoMetadata());
    assertTrue(
        exec.statementText().startsWith("SELECT TOP 88 [dbo].[MyExampleTable].[ID]"),
        exec.statementText());
    assertEquals("@HandlingStatus1", exec.parameters().get(2).name());
    // sp_prepexec by ProcID 13: handle OUTPUT, params, stmt
    RpcCall prep = ((RpcRequest) all.get(1).request()).calls().get(0);
    assertEquals(13, prep.procId());
    assertTrue(prep.parameters().get(0).isOutput());
    assertEquals(
        "select * from test_table_1 where name = @P0 and id = @P1", prep.statementText().trim());
    // the 8 KB multi-packet RPC: an nvarchar(max) PLP parameter skipped across packets
    RequestEvent big = all.stream().filter(e -> e.messageBytes() == 8339).findFirst().orElseThrow();
    assertEquals(
        "nvarchar(max)",
        ((RpcRequest) big.request()).calls().get(0).parameters().get(0).typeName());
    // 7.1-style batch (no ALL_HEADERS)
    assertEquals(null, ((SqlBatch) all.get(2).request()).headers());

    List<ResponseEndEvent> ends =
        recs.stream()
            .flatMap(r -> r.of(ResponseEndEvent.class).stream())
            .collect(Collectors.toList());
    assertEquals(
        List.of(0L, 1L, 0L, 0L, 0L, 0L, 0L, 3L, 3L, 0L),
        ends.stream().map(ResponseEndEvent::rowCount).collect(Collectors.toList()));
    assertEquals(
        List.of(0L, 1L, 0L, 0L, 0L, 1L, 2L, 3L, 3L, 0L),
        ends.stream().map(ResponseEndEvent::doneRowCount).collect(Collectors.toList()));
    assertTrue(ends.get(1).hasReturnStatus());
    assertEquals(List.of(""), ends.get(1).outputParameters());
    ResultSetEvent rs =
        recs.stream().flatMap(r -> r.of(ResultSetEvent.class).stream()).findFirst().orElseThrow();
    assertEquals(
        "[name nchar(30), surname nchar(30), city nchar(40), id int]",
        rs.columns().columns().toString());
  }

  @Test
  void babelfishJdbcSelects() throws Exception {
    Recorder r = replay("bbf-mssqljdbc-basic.pcapng").get(0);
    List<RequestEvent> req = r.of(RequestEvent.class);
    assertEquals(2, req.size());
    assertEquals("SELECT @@VERSION", ((SqlBatch) req.get(0).request()).text());
    assertEquals(0, ((SqlBatch) req.get(0).request()).headers().transactionDescriptor());
    List<ResultSetEvent> sets = r.of(ResultSetEvent.class);
    assertEquals(2, sets.size());
    assertEquals(1, sets.get(0).rowCount());
    ResultSetEvent typed = sets.get(1);
    assertEquals(5, typed.rowCount(), "ROWx2, NBCROW, ROWx2");
    assertEquals(5, typed.done().rowCount());
    assertEquals(
        List.of(
            "id int",
            "big bigint",
            "name nvarchar(50)",
            "notes varchar(max)",
            "price numeric(12,4)",
            "created datetime2(3)",
            "guid uniqueidentifier",
            "blob varbinary(32)",
            "flag bit",
            "ratio float"),
        typed.columns().columns().stream().map(Column::toString).collect(Collectors.toList()));
    List<ResponseEndEvent> ends = r.of(ResponseEndEvent.class);
    assertEquals(5, ends.get(1).rowCount());
    assertEquals(TokenType.DONE, ends.get(1).finalDone().type());
    assertTrue(!ends.get(1).failed());
    SecretScanner.class.getName(); // events carry no password: checked by CaptureConversationTest
  }

  @Test
  void babelfishTediousRpcs() throws Exception {
    Recorder r = replay("bbf-tedious-rpc.pcapng").get(0);
    List<RequestEvent> req = r.of(RequestEvent.class);
    assertEquals(4, req.size());
    assertTrue(
        ((SqlBatch) req.get(0).request())
            .text()
            .startsWith("set ansi_nulls on\nset ansi_null_dflt_on on"));
    for (int i = 1; i < 4; i++) {
      RpcCall c = ((RpcRequest) req.get(i).request()).calls().get(0);
      assertEquals("sp_executesql", c.procName());
      assertEquals(4, c.parameterCount());
      assertEquals(
          List.of("@statement", "@params", "@id", "@nm"),
          c.parameters().stream().map(p -> p.name()).collect(Collectors.toList()));
      assertEquals(
          "SELECT id, name FROM dbo.typed_rows WHERE id >= @id AND name <> @nm", c.statementText());
      assertNotNull(c.parameters().get(2).typeInfo());
      assertEquals(null, c.parameters().get(2).renderedValue(), "values are never kept by default");
    }
    List<ResponseEndEvent> ends = r.of(ResponseEndEvent.class);
    assertEquals(
        List.of(0L, 4L, 3L, 2L),
        ends.stream().map(ResponseEndEvent::rowCount).collect(Collectors.toList()));
    for (int i = 1; i < 4; i++) {
      assertTrue(ends.get(i).hasReturnStatus());
      assertEquals(0, ends.get(i).returnStatus());
      assertEquals(TokenType.DONEPROC, ends.get(i).finalDone().type());
    }
    assertEquals(1, ends.get(0).infoCount());
  }

  @Test
  void sql2000BatchAfterLogin() throws Exception {
    Recorder r = replay("tds7-sql2000-sqlauth-login.pcap").get(0);
    SqlBatch b = (SqlBatch) r.one(RequestEvent.class).request();
    assertEquals(null, b.headers());
    assertTrue(b.text().startsWith("select name from master.dbo.syscharsets"));
    ResultSetEvent rs = r.one(ResultSetEvent.class);
    assertEquals("[name nvarchar(128)]", rs.columns().columns().toString());
    assertEquals(1, rs.rowCount());
  }
}
