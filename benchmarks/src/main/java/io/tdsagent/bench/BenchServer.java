package io.tdsagent.bench;

import io.tdsagent.lab.LabServer;
import io.tdsagent.lab.sql.Column;
import io.tdsagent.lab.sql.QueryContext;
import io.tdsagent.lab.sql.QueryResult;
import io.tdsagent.lab.sql.ResultTable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab server the benchmarks log in to, with a {@code dbo.big_rows} table of 10 small columns
 * (INT, BIGINT, NVARCHAR; one nullable column NULL on every 10th row) answered to {@code SELECT TOP
 * (N) * FROM dbo.big_rows}. Results are built once per N and kept in memory; the lab encodes them
 * again for every query.
 */
public final class BenchServer {
  public static final String LOGIN = "bench";
  public static final String PASSWORD = "Bench-Pa55word";
  public static final String DATABASE = "bench";

  private static final Pattern BIG_ROWS =
      Pattern.compile(
          "SELECT TOP ?\\(?(\\d+)\\)? \\* FROM (dbo\\.)?big_rows( WHERE .*)?",
          Pattern.CASE_INSENSITIVE);
  private static final Map<Integer, ResultTable> TABLES = new ConcurrentHashMap<>();

  private BenchServer() {}

  public static LabServer start() throws java.io.IOException {
    return LabServer.builder()
        .login(LOGIN, PASSWORD)
        .database(DATABASE)
        // The lab server will get dbo.big_rows and RPC of its own (another branch); until then,
        // ours:
        .queryPattern(BIG_ROWS.pattern(), BenchServer::bigRows)
        .build()
        .start();
  }

  /**
   * The URL the forked clients use: no TLS after the login (login-only TLS), so the agent's share
   * is largest.
   */
  public static String url(LabServer server) {
    return server.jdbcUrl(
        LOGIN, PASSWORD, "databaseName=" + DATABASE + ";applicationName=tds-bench");
  }

  static QueryResult bigRows(String sql, QueryContext ctx) {
    Matcher m = BIG_ROWS.matcher(sql);
    int n = m.matches() ? Integer.parseInt(m.group(1)) : 100_000;
    return QueryResult.of(TABLES.computeIfAbsent(n, BenchServer::table));
  }

  public static ResultTable table(int rows) {
    ResultTable t =
        new ResultTable(
            Column.integer("id"),
            Column.bigint("account"),
            Column.nvarchar("name", 30),
            Column.integer("qty"),
            Column.bigint("amount_cents"),
            Column.nvarchar("status", 12),
            Column.integer("region"),
            Column.bigint("created_ms"),
            Column.nvarchar("note", 40).nullable(true),
            Column.integer("version"));
    String[] status = {"open", "paid", "shipped", "cancelled"};
    for (int i = 0; i < rows; i++) {
      t.row(
          i,
          1_000_000L + i * 7L,
          "customer " + i,
          i % 100,
          i * 1234L,
          status[i & 3],
          i % 17,
          1_700_000_000_000L + i * 1000L,
          i % 10 == 9 ? null : "note for row " + i,
          1);
    }
    return t;
  }
}
