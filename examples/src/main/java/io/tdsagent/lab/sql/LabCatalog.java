package io.tdsagent.lab.sql;

import io.tdsagent.lab.token.Done;
import io.tdsagent.lab.token.ServerMessage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab's built-in "database": tables, procedures and statements beyond the session housekeeping. Patterns
 * match normalized statements (see {@link QueryRouter#normalize}), case-insensitively.
 *
 * <ul>
 * <li>{@code SELECT * FROM dbo.typed_rows [WHERE id = n|@p]}: {@link #TYPED_ROWS}, every common type, NULLs.</li>
 * <li>{@code SELECT TOP (n) * FROM dbo.big_rows}, {@code SELECT * FROM dbo.big_rows(n)} (n may be a
 * parameter): n generated rows of 10 mixed columns ({@link #bigRow}), streamed.</li>
 * <li>{@code SELECT * FROM dbo.slow_rows} / {@code SELECT TOP (n) * FROM dbo.slow_rows}: one row every 10 ms
 * (default 100,000 rows), cancellable.</li>
 * <li>{@code SELECT <integer>}, {@code SELECT 'text'}, {@code SELECT N'text'}; {@code SELECT <n>/0}: error 8134.</li>
 * <li>{@code SELECT @p1, @p2, ...}: the statement's parameters echoed back with their own types.</li>
 * <li>{@code RAISERROR('msg', severity, state)}: INFO (severity &le; 10) or ERROR 50000.</li>
 * <li>{@code WAITFOR DELAY 'hh:mm:ss[.fff]'}: waits, cancellable by ATTENTION.</li>
 * <li>{@code INSERT}/{@code UPDATE}/{@code DELETE}: a row count (INSERT: the number of VALUES rows, else 1).</li>
 * <li>{@code EXEC[UTE] proc args} and a lone procedure name: registered procedures ({@code dbo.add_numbers
 * @a, @b, @sum OUTPUT}, {@code dbo.get_rows @n, @total OUTPUT}).</li>
 * </ul>
 */
public final class LabCatalog {
  private LabCatalog() {}

  // -------------------------------------------------------------------------------------------
  // dbo.typed_rows

  /**
   * dbo.typed_rows: 33 columns of every common type; row 3 is all NULL (NBCROW), row 4 has one
   * inline NULL.
   */
  public static final ResultTable TYPED_ROWS = typedRows();

  private static ResultTable typedRows() {
    ResultTable t =
        new ResultTable(
            Column.integer("id"),
            Column.of("c_bit_nn", SqlType.BIT).nullable(false),
            Column.of("c_float_nn", SqlType.FLOAT).nullable(false),
            Column.of("c_datetime_nn", SqlType.DATETIME).nullable(false),
            Column.of("c_tinyint", SqlType.TINYINT),
            Column.of("c_smallint", SqlType.SMALLINT),
            Column.of("c_int", SqlType.INT),
            Column.of("c_bigint", SqlType.BIGINT),
            Column.of("c_bit", SqlType.BIT),
            Column.of("c_real", SqlType.REAL),
            Column.of("c_float", SqlType.FLOAT),
            Column.decimal("c_decimal", 18, 4),
            Column.decimal("c_numeric", 38, 10),
            Column.of("c_money", SqlType.MONEY),
            Column.of("c_smallmoney", SqlType.SMALLMONEY),
            Column.of("c_date", SqlType.DATE),
            Column.time("c_time", SqlType.TIME, 7),
            Column.of("c_datetime", SqlType.DATETIME),
            Column.of("c_smalldatetime", SqlType.SMALLDATETIME),
            Column.time("c_datetime2", SqlType.DATETIME2, 7),
            Column.time("c_datetimeoffset", SqlType.DATETIMEOFFSET, 7),
            Column.of("c_guid", SqlType.UNIQUEIDENTIFIER),
            Column.of("c_char", SqlType.CHAR, 10),
            Column.of("c_varchar", SqlType.VARCHAR, 50),
            Column.of("c_nchar", SqlType.NCHAR, 10),
            Column.of("c_nvarchar", SqlType.NVARCHAR, 50),
            Column.of("c_varchar_max", SqlType.VARCHAR, 0),
            Column.of("c_nvarchar_max", SqlType.NVARCHAR, 0),
            Column.of("c_binary", SqlType.BINARY, 8),
            Column.of("c_varbinary", SqlType.VARBINARY, 50),
            Column.of("c_varbinary_max", SqlType.VARBINARY, 0),
            Column.of("c_xml", SqlType.XML),
            Column.of("c_variant", SqlType.SQL_VARIANT));
    byte[] big = new byte[100_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31 + 7);
    }
    Object[] row1 = {
      1,
      true,
      Math.PI,
      LocalDateTime.of(2024, 2, 29, 13, 45, 30, 500_000_000),
      255,
      -32768,
      Integer.MIN_VALUE,
      Long.MAX_VALUE,
      true,
      3.5f,
      -1.0e300,
      new BigDecimal("12345678901234.5678"),
      new BigDecimal("-1234567890123456789012345678.0123456789"),
      new BigDecimal("922337203685477.5807"),
      new BigDecimal("-214748.3648"),
      LocalDate.of(2024, 2, 29),
      LocalTime.of(23, 59, 59, 999_999_900),
      LocalDateTime.of(2024, 2, 29, 13, 45, 30, 500_000_000),
      LocalDateTime.of(2024, 2, 29, 13, 45),
      LocalDateTime.of(2024, 2, 29, 13, 45, 30, 123_456_700),
      OffsetDateTime.of(2024, 2, 29, 13, 45, 30, 123_456_700, ZoneOffset.ofHoursMinutes(5, 30)),
      UUID.fromString("6f9619ff-8b86-d011-b42d-00c04fc964ff"),
      "abc       ",
      "h\u00e9llo w\u00f6rld \u20ac",
      "\u65e5\u672c        ",
      "Gr\u00fc\u00dfe \ud83d\ude00 \u03a9",
      "x".repeat(20_000),
      "\u00fc".repeat(10_000) + "end",
      new byte[] {1, 2, 3, 0, 0, 0, 0, 0},
      new byte[] {0, 1, (byte) 0xFF},
      big,
      "<r a=\"1\"><x>text</x></r>",
      42
    };
    Object[] row2 = {
      2,
      false,
      0.0,
      LocalDateTime.of(1753, 1, 1, 0, 0),
      0,
      32767,
      Integer.MAX_VALUE,
      Long.MIN_VALUE,
      false,
      -0.25f,
      0.1,
      new BigDecimal("-0.0001"),
      new BigDecimal("0.0000000001"),
      new BigDecimal("-922337203685477.5808"),
      new BigDecimal("214748.3647"),
      LocalDate.of(1, 1, 1),
      LocalTime.MIDNIGHT,
      LocalDateTime.of(9999, 12, 31, 23, 59, 59, 997_000_000),
      LocalDateTime.of(1900, 1, 1, 0, 0),
      LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_900),
      OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(-8)),
      new UUID(0, 0),
      "          ",
      "",
      "          ",
      "",
      "",
      "",
      new byte[8],
      new byte[0],
      new byte[0],
      "<empty/>",
      "variant text"
    };
    Object[] row3 = new Object[t.columns().size()];
    row3[0] = 3;
    row3[1] = true;
    row3[2] = 1.5;
    row3[3] = LocalDateTime.of(2000, 1, 1, 0, 0);
    Object[] row4 = row1.clone();
    row4[0] = 4;
    row4[6] = null; // one inline NULL: a ROW, not an NBCROW
    return t.row(row1).row(row2).row(row3).row(row4);
  }

  // ---------------------------------------------------------------------------------------------
  // dbo.big_rows

  /** The 10 columns of dbo.big_rows. */
  public static final List<Column> BIG_ROWS_COLUMNS =
      List.of(
          Column.bigint("id"),
          Column.integer("n"),
          Column.of("small", SqlType.SMALLINT),
          Column.of("flag", SqlType.BIT),
          Column.decimal("amount", 18, 2),
          Column.of("ratio", SqlType.FLOAT),
          Column.time("created", SqlType.DATETIME2, 3),
          Column.of("code", SqlType.UNIQUEIDENTIFIER),
          Column.of("name", SqlType.NVARCHAR, 50),
          Column.of("note", SqlType.VARCHAR, 100));

  private static final LocalDateTime BIG_ROWS_BASE = LocalDateTime.of(2024, 1, 1, 0, 0);

  /** Row {@code i} (0-based) of dbo.big_rows; every 10th note is NULL. */
  public static void bigRow(long i, Object[] v) {
    v[0] = i + 1;
    v[1] = (int) (i * 7 % 1_000_003);
    v[2] = (int) (i % 30_000);
    v[3] = (i & 1) == 0;
    v[4] = BigDecimal.valueOf(i * 123 % 100_000_000, 2);
    v[5] = i / 8.0;
    v[6] = BIG_ROWS_BASE.plusSeconds(i).plusNanos((i % 1000) * 1_000_000);
    v[7] = new UUID(i, ~i);
    v[8] = "name-" + i;
    v[9] = i % 10 == 0 ? null : "note for row " + i;
  }

  /** Rows of dbo.big_rows as one streamed result. */
  public static QueryResult bigRows(long n) {
    return new QueryResult().streamedRows(BIG_ROWS_COLUMNS, n, LabCatalog::bigRow);
  }

  // ---------------------------------------------------------------------------------------------
  // routes

  private static final String COUNT = "\\(?\\s?(\\d+|@\\w+)\\s?\\)?";

  static void addTo(QueryRouter r) {
    r.matching(
        "SELECT \\* FROM (dbo\\.)?typed_rows( WHERE id ?= ?(\\d+|@\\w+))?",
        (sql, ctx) -> {
          Matcher m =
              match("SELECT \\* FROM (dbo\\.)?typed_rows( WHERE id ?= ?(\\d+|@\\w+))?", sql);
          if (m.group(3) == null) {
            return QueryResult.of(TYPED_ROWS);
          }
          long id = number(m.group(3), ctx);
          ResultTable t = new ResultTable(TYPED_ROWS.columns().toArray(new Column[0]));
          for (Object[] row : TYPED_ROWS.rows()) {
            if (((Number) row[0]).longValue() == id) {
              t.row(row);
            }
          }
          return QueryResult.of(t);
        });
    String top = "SELECT TOP ?" + COUNT + " \\* FROM (dbo\\.)?(big_rows|slow_rows)";
    r.matching(
        top,
        (sql, ctx) -> {
          Matcher m = match(top, sql);
          return rowsOf(m.group(3), number(m.group(1), ctx));
        });
    String fn = "SELECT \\* FROM (dbo\\.)?(big_rows|slow_rows) ?(\\( ?(\\d+|@\\w+) ?\\))?";
    r.matching(
        fn,
        (sql, ctx) -> {
          Matcher m = match(fn, sql);
          return rowsOf(m.group(2), m.group(4) == null ? 100_000 : number(m.group(4), ctx));
        });
    r.matching(
        "SELECT (-?\\d+) ?/ ?0",
        (sql, ctx) ->
            new QueryResult()
                .errorAfter(
                    new ResultTable(Column.integer("").nullable(true)),
                    new ServerMessage(8134, 1, 16, "Divide by zero error encountered.")));
    r.matching(
        "SELECT (-?\\d{1,9})",
        (sql, ctx) ->
            QueryResult.of(
                ResultTable.single(
                    Column.integer(""),
                    Integer.parseInt(match("SELECT (-?\\d{1,9})", sql).group(1)))));
    // literals as an unrolled loop with possessive quantifiers: an alternation under * recurses per
    // character
    // and overflows the stack on a literal of some thousand characters
    r.matching(
        "SELECT (N?)'([^']*+(?:''[^']*+)*+)'",
        (sql, ctx) -> {
          Matcher m = match("SELECT (N?)'([^']*+(?:''[^']*+)*+)'", sql);
          String text = m.group(2).replace("''", "'");
          boolean unicode = !m.group(1).isEmpty();
          Column c =
              Column.of(
                      "", unicode ? SqlType.NVARCHAR : SqlType.VARCHAR, Math.max(1, text.length()))
                  .nullable(false);
          return QueryResult.of(ResultTable.single(c, text));
        });
    r.matching("SELECT @\\w+( AS \\w+)?( ?, ?@\\w+( AS \\w+)?)*", LabCatalog::echoParameters);
    r.matching(
        "RAISERROR ?\\( ?N?'([^']*+(?:''[^']*+)*+)' ?, ?(\\d+) ?, ?(\\d+) ?\\)( WITH \\w+( ?, ?\\w+)*)?",
        LabCatalog::raiserror);
    r.matching(
        "WAITFOR DELAY N?'(\\d{1,2}):(\\d{2})(:(\\d{2})(\\.(\\d{1,3}))?)?'",
        (sql, ctx) -> {
          Matcher m =
              match("WAITFOR DELAY N?'(\\d{1,2}):(\\d{2})(:(\\d{2})(\\.(\\d{1,3}))?)?'", sql);
          long ms =
              (Long.parseLong(m.group(1)) * 3600
                          + Long.parseLong(m.group(2)) * 60
                          + (m.group(4) == null ? 0 : Long.parseLong(m.group(4))))
                      * 1000
                  + (m.group(6) == null ? 0 : Long.parseLong((m.group(6) + "00").substring(0, 3)));
          return new QueryResult().delay(ms).completion(-1);
        });
    r.matching(
        "INSERT (INTO )?\\S+.*",
        (sql, ctx) -> {
          int values = sql.toUpperCase().indexOf(" VALUES");
          long rows = values < 0 ? 1 : 1 + countTopLevel(sql.substring(values), "),");
          return new QueryResult().completion(rows, Done.CMD_INSERT);
        });
    r.matching(
        "UPDATE \\S+ SET .*", (sql, ctx) -> new QueryResult().completion(1, Done.CMD_UPDATE));
    r.matching(
        "DELETE (FROM )?\\S+.*", (sql, ctx) -> new QueryResult().completion(1, Done.CMD_DELETE));
    String exec = "EXEC(UTE)? (@\\w+ ?= ?)?([^\\s@=]+)( .*)?";
    r.matching(
        exec,
        (sql, ctx) -> {
          Matcher m = match(exec, sql);
          QueryResult result =
              exec(r, m.group(3), m.group(4) == null ? "" : m.group(4).trim(), ctx);
          if (m.group(2)
              != null) { // EXEC @status = proc ...: the RETURN status goes to the variable
            BoundParameter target =
                ctx.parameters().get(m.group(2).replace("=", "").trim().toLowerCase());
            for (QueryResult.Part p : result.parts()) {
              if (p instanceof QueryResult.ReturnStatus status && target != null) {
                target.value(status.value());
              }
            }
          }
          return result;
        });
    r.matching(
        "[\\p{L}_#\\[][\\p{L}\\p{N}_@#$.\\[\\]]*",
        (sql, ctx) ->
            r.findProcedure(sql) != null ? exec(r, sql, "", ctx) : r.fallback().handle(sql, ctx));
    if (r.findProcedure("dbo.add_numbers") == null) {
      r.procedure(
          "dbo.add_numbers",
          List.of("@a", "@b", "@sum"),
          (call, ctx) -> {
            Object a = call.arg("@a");
            Object b = call.arg("@b");
            call.output(
                "@sum",
                a == null || b == null ? null : ((Number) a).intValue() + ((Number) b).intValue());
            return 0;
          });
    }
    if (r.findProcedure("sys.sp_sproc_columns") == null) {
      // mssql-jdbc calls it (EXEC [db].sys.sp_sproc_columns @procedure_name=x, ...) to map named
      // CallableStatement parameters to positions: it reads COLUMN_NAME (column 4) of each row.
      r.procedure(
          "sys.sp_sproc_columns",
          List.of(
              "@procedure_name",
              "@procedure_owner",
              "@procedure_qualifier",
              "@column_name",
              "@ODBCVer",
              "@fUsePattern"),
          (call, ctx) -> {
            Object name = call.arg("@procedure_name");
            Object owner = call.arg("@procedure_owner");
            ProcedureCall.Definition def =
                name == null ? null : r.findProcedure((owner == null ? "dbo" : owner) + "." + name);
            ResultTable t =
                new ResultTable(
                    Column.nvarchar("PROCEDURE_QUALIFIER", 128),
                    Column.nvarchar("PROCEDURE_OWNER", 128),
                    Column.nvarchar("PROCEDURE_NAME", 134),
                    Column.nvarchar("COLUMN_NAME", 128),
                    Column.of("COLUMN_TYPE", SqlType.SMALLINT),
                    Column.integer("ORDINAL_POSITION"));
            if (def != null) {
              String proc = name + ";1";
              String db = ctx.database();
              String schema = owner == null ? "dbo" : owner.toString();
              t.row(db, schema, proc, "@RETURN_VALUE", 5, 0);
              for (int i = 0; i < def.parameters().size(); i++) {
                t.row(db, schema, proc, def.parameters().get(i), 1, i + 1);
              }
            }
            call.results().rows(t);
            return 0;
          });
    }
    if (r.findProcedure("dbo.get_rows") == null) {
      r.procedure(
          "dbo.get_rows",
          List.of("@n", "@total"),
          (call, ctx) -> {
            long n = call.arg("@n") == null ? 10 : ((Number) call.arg("@n")).longValue();
            call.results().append(bigRows(n));
            call.output("@total", n);
            return (int) (n % 100);
          });
    }
  }

  private static QueryResult rowsOf(String table, long n) {
    if (table.equalsIgnoreCase("slow_rows")) {
      return new QueryResult().slowRows(BIG_ROWS_COLUMNS, n, 10, LabCatalog::bigRow);
    }
    return bigRows(n);
  }

  private static Matcher match(String regex, String sql) {
    Matcher m = Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.DOTALL).matcher(sql);
    if (!m.matches()) {
      throw new IllegalStateException(sql);
    }
    return m;
  }

  /** A number literal or a parameter's value. */
  static long number(String token, QueryContext ctx) {
    if (token.startsWith("@")) {
      BoundParameter p = ctx.parameters().get(token.toLowerCase());
      if (p == null || p.value() == null) {
        throw new ProcedureCall.ProcedureException(
            137, 2, 15, "Must declare the scalar variable \"" + token + "\".");
      }
      return ((Number) p.value()).longValue();
    }
    return Long.parseLong(token);
  }

  private static int countTopLevel(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  private static QueryResult echoParameters(String sql, QueryContext ctx) {
    String select = sql.substring("SELECT ".length());
    List<Column> cols = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (String item : select.split(",")) {
      String[] parts = item.trim().split(" (?i:AS) ");
      BoundParameter p = ctx.parameters().get(parts[0].trim().toLowerCase());
      if (p == null) {
        return QueryResult.compileError(
            137, 2, 15, "Must declare the scalar variable \"" + parts[0].trim() + "\".");
      }
      cols.add(p.type().named(parts.length > 1 ? parts[1].trim() : "").nullable(true));
      values.add(p.value());
    }
    return QueryResult.of(new ResultTable(cols.toArray(new Column[0])).row(values.toArray()));
  }

  private static QueryResult raiserror(String sql, QueryContext ctx) {
    Matcher m =
        match(
            "RAISERROR ?\\( ?N?'([^']*+(?:''[^']*+)*+)' ?, ?(\\d+) ?, ?(\\d+) ?\\)( WITH .*)?",
            sql);
    String text = m.group(1).replace("''", "'");
    int severity = Integer.parseInt(m.group(2));
    int state = Integer.parseInt(m.group(3));
    boolean withLog = m.group(4) != null && m.group(4).toUpperCase().contains("LOG");
    if (severity > 18 && !withLog) {
      return QueryResult.error(
          2754,
          1,
          16,
          "Error severity levels greater than 18 can only be specified by"
              + " members of the sysadmin role, using the WITH LOG option.");
    }
    ServerMessage msg = new ServerMessage(50000, state, Math.min(severity, 25), text);
    return severity <= 10
        ? new QueryResult().info(msg).completion(-1)
        : new QueryResult().error(msg);
  }

  // ---------------------------------------------------------------------------------------------
  // EXEC

  /**
   * EXEC of a registered procedure: arguments are literals (integers, decimals, 'text', N'text',
   * NULL) or parameters of the enclosing sp_executesql, optionally {@code @name = value} and {@code
   * OUT[PUT]}.
   */
  static QueryResult exec(QueryRouter r, String name, String argText, QueryContext ctx) {
    ProcedureCall.Definition def = r.findProcedure(name);
    if (def == null) {
      return QueryResult.error(2812, 62, 16, "Could not find stored procedure '" + name + "'.");
    }
    List<String> names = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    List<String> outTargets = new ArrayList<>();
    Map<String, BoundParameter> params = ctx.parameters();
    if (!argText.isEmpty()) {
      for (String arg : QueryRouter.splitTopLevel(argText, ',')) {
        String a = arg.trim();
        String argName = "";
        Matcher named = Pattern.compile("(@\\w+) ?= ?(.*)", Pattern.DOTALL).matcher(a);
        if (named.matches()) {
          argName = named.group(1);
          a = named.group(2).trim();
        }
        String outTarget = null;
        Matcher out =
            Pattern.compile("(.*?) (OUT|OUTPUT)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL)
                .matcher(a);
        if (out.matches()) {
          a = out.group(1).trim();
          outTarget = a;
        }
        Object v;
        if (a.startsWith("@")) {
          BoundParameter p = params.get(a.toLowerCase());
          if (p == null) {
            return QueryResult.compileError(
                137, 2, 15, "Must declare the scalar variable \"" + a + "\".");
          }
          v = p.value();
        } else {
          v = literal(a);
        }
        names.add(argName);
        values.add(v);
        outTargets.add(outTarget);
      }
    }
    ProcedureCall call;
    try {
      call = def.call(names, values, ctx);
    } catch (ProcedureCall.ProcedureException e) {
      return QueryResult.error(e.number, e.state, e.severityClass, e.getMessage());
    }
    // OUTPUT arguments assign the caller's variables (the enclosing statement's parameters).
    for (int i = 0; i < outTargets.size(); i++) {
      String target = outTargets.get(i);
      if (target == null || !target.startsWith("@")) {
        continue;
      }
      String declared = names.get(i).isEmpty() ? def.parameterAt(i) : names.get(i);
      if (call.outputs().containsKey(ProcedureCall.key(declared))) {
        params.get(target.toLowerCase()).value(call.outputs().get(ProcedureCall.key(declared)));
      }
    }
    return new QueryResult()
        .append(call.results())
        .returnStatus(call.returnStatus())
        .completion(-1, Done.CMD_EXECUTE);
  }

  private static Object literal(String a) {
    if (a.equalsIgnoreCase("NULL") || a.equalsIgnoreCase("DEFAULT")) {
      return null;
    }
    Matcher s = Pattern.compile("(N?)'([^']*+(?:''[^']*+)*+)'", Pattern.DOTALL).matcher(a);
    if (s.matches()) {
      return s.group(2).replace("''", "'");
    }
    if (a.matches("-?\\d{1,9}")) {
      return Integer.parseInt(a);
    }
    if (a.matches("-?\\d+")) {
      return Long.parseLong(a);
    }
    if (a.matches("-?\\d*\\.\\d+")) {
      return new BigDecimal(a);
    }
    return a.replace("[", "").replace("]", ""); // a bare word: EXEC p @name=word passes the text
  }

  static List<String> listOf(String... s) {
    return Arrays.asList(s);
  }
}
