package io.tdsagent.lab.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps batch text to handlers: exact statements (compared case-insensitively after collapsing
 * whitespace and dropping trailing semicolons), then regular expressions, in the order added;
 * unknown text gets the fallback (a SQL Server-like error).
 */
public final class QueryRouter {
  private static final class Route {
    final Pattern pattern;
    final QueryHandler handler;

    Route(Pattern pattern, QueryHandler handler) {
      this.pattern = pattern;
      this.handler = handler;
    }
  }

  private final List<Route> routes = new ArrayList<>();
  private final Map<String, ProcedureCall.Definition> procedures = new LinkedHashMap<>();
  private QueryHandler fallback = QueryRouter::unknownStatement;

  /** Routes for the statements the lab knows out of the box. */
  public static QueryRouter withDefaults() {
    return new QueryRouter().addDefaults();
  }

  /** Adds a route for one exact statement (normalized). Routes added first win. */
  public QueryRouter exact(String statement, QueryHandler handler) {
    return matching("\\Q" + normalize(statement) + "\\E", handler);
  }

  /** Adds a route for normalized text matching {@code regex} entirely (case-insensitive). */
  public QueryRouter matching(String regex, QueryHandler handler) {
    routes.add(
        new Route(Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.DOTALL), handler));
    return this;
  }

  public QueryRouter fallback(QueryHandler handler) {
    this.fallback = handler;
    return this;
  }

  /** What answers statements no route matches. */
  public QueryHandler fallback() {
    return fallback;
  }

  /**
   * Answers a batch. A route matching the whole text wins; otherwise a batch of several statements
   * separated by semicolons runs statement by statement (as SQL Server does, an error ends only its
   * statement, but a syntax error anywhere means nothing runs).
   */
  public QueryResult route(String sql, QueryContext context) {
    String normalized = normalize(sql);
    QueryResult whole = routeOne(normalized, context, false);
    if (whole != null) {
      return whole;
    }
    List<String> statements = splitStatements(normalized);
    if (statements.size() <= 1) {
      return fallback.handle(normalized, context);
    }
    List<QueryResult> results = new ArrayList<>();
    for (String statement : statements) {
      QueryResult r = routeOne(statement, context, true);
      if (r.abortsBatch()) {
        return r;
      }
      results.add(r);
    }
    QueryResult all = new QueryResult();
    results.forEach(all::append);
    return all;
  }

  private QueryResult routeOne(String statement, QueryContext context, boolean useFallback) {
    try {
      for (Route r : routes) {
        if (r.pattern.matcher(statement).matches()) {
          return r.handler.handle(statement, context);
        }
      }
      return useFallback ? fallback.handle(statement, context) : null;
    } catch (ProcedureCall.ProcedureException e) {
      return QueryResult.error(e.number, e.state, e.severityClass, e.getMessage());
    }
  }

  /**
   * Splits normalized text at semicolons outside quotes, brackets and parentheses; drops empty
   * statements.
   */
  public static List<String> splitStatements(String sql) {
    return splitTopLevel(sql, ';');
  }

  /**
   * Splits at {@code separator} outside quotes, brackets and parentheses; pieces normalized, empty
   * ones dropped.
   */
  public static List<String> splitTopLevel(String sql, char separator) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    char quote = 0;
    int start = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[') {
        quote = ']';
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == separator && depth == 0) {
        add(out, sql.substring(start, i));
        start = i + 1;
      }
    }
    add(out, sql.substring(start));
    return out;
  }

  private static void add(List<String> out, String statement) {
    String s = normalize(statement);
    if (!s.isEmpty()) {
      out.add(s);
    }
  }

  /**
   * Registers a stored procedure, callable by RPC name and by {@code EXEC name args} in a batch or
   * in sp_executesql. {@code parameters} are the declared names in order ("@a", "@b", "@sum").
   * Names compare case-insensitively, without brackets, and "dbo." is implied when no schema is
   * given.
   */
  public QueryRouter procedure(String name, List<String> parameters, Procedure body) {
    procedures.put(procedureKey(name), new ProcedureCall.Definition(name, parameters, body));
    return this;
  }

  /** The procedure called {@code name}, or null. */
  public ProcedureCall.Definition findProcedure(String name) {
    return procedures.get(procedureKey(name));
  }

  static String procedureKey(String name) {
    String n = name.replace("[", "").replace("]", "").trim().toLowerCase(Locale.ROOT);
    int dots = n.length() - n.replace(".", "").length();
    if (dots == 0) {
      n = "dbo." + n;
    } else if (dots == 2) { // db.schema.name: the lab has one catalog
      n = n.substring(n.indexOf('.') + 1);
    }
    return n;
  }

  /** Trims, collapses whitespace runs to one space and drops trailing semicolons. */
  public static String normalize(String sql) {
    String s = sql.trim().replaceAll("\\s+", " ");
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).trim();
    }
    return s;
  }

  /** Appends another router's routes and procedures (not its fallback). */
  public QueryRouter addAll(QueryRouter other) {
    routes.addAll(other.routes);
    other.procedures.forEach(procedures::putIfAbsent);
    return this;
  }

  /** Appends the built-in routes. */
  public QueryRouter addDefaults() {
    exact("SELECT 1", (sql, ctx) -> QueryResult.of(ResultTable.single(Column.integer(""), 1)));
    exact(
        "SELECT @@VERSION",
        (sql, ctx) ->
            QueryResult.of(ResultTable.single(Column.nvarchar("", 300), ctx.versionBanner())));
    exact(
        "SELECT @@SPID",
        (sql, ctx) -> QueryResult.of(ResultTable.single(Column.integer(""), ctx.spid())));
    exact(
        "SELECT DB_NAME()",
        (sql, ctx) -> QueryResult.of(ResultTable.single(Column.nvarchar("", 128), ctx.database())));
    matching(
        "SELECT (SUSER_NAME|SUSER_SNAME|SYSTEM_USER)(\\(\\))?",
        (sql, ctx) -> QueryResult.of(ResultTable.single(Column.nvarchar("", 128), ctx.login())));
    Pattern use = Pattern.compile("USE \\[?([^\\]]+)\\]?", Pattern.CASE_INSENSITIVE);
    matching(
        use.pattern(),
        (sql, ctx) -> {
          Matcher m = use.matcher(sql);
          String wanted = m.matches() ? m.group(1).trim() : sql;
          String old = ctx.database();
          String now = ctx.useDatabase(wanted);
          if (now == null) {
            return QueryResult.error(
                911,
                1,
                16,
                "Database '"
                    + wanted
                    + "' does not exist. Make sure that the name is entered correctly.");
          }
          return new QueryResult().databaseChanged(now, old).completion(-1);
        });
    // jTDS's first batch after login: "SELECT @@MAX_PRECISION" then SET statements; it reads one
    // byte.
    matching(
        "SELECT @@MAX_PRECISION( SET .*)?",
        (sql, ctx) -> QueryResult.of(ResultTable.single(Column.integer(""), 38)));
    // r2dbc-mssql's first batch after login (MssqlConnectionFactory's metadata query).
    matching(
        "SELECT CAST\\(SERVERPROPERTY\\('Edition'\\) AS VARCHAR\\(255\\)\\) AS Edition ?, ?"
            + "CAST\\(@@VERSION AS VARCHAR\\(255\\)\\) AS VersionString",
        (sql, ctx) ->
            QueryResult.of(
                new ResultTable(
                        Column.of("Edition", SqlType.VARCHAR, 255),
                        Column.of("VersionString", SqlType.VARCHAR, 255))
                    .row("Developer Edition (64-bit)", ctx.versionBanner())));
    // Session settings and transaction housekeeping drivers send (setAutoCommit, isolation level,
    // commit).
    matching("SET .*", (sql, ctx) -> QueryResult.done());
    matching(
        "IF @@TRANCOUNT ?> ?0 (COMMIT|ROLLBACK)( TRAN(SACTION)?)?",
        (sql, ctx) -> QueryResult.done());
    LabCatalog.addTo(this);
    return this;
  }

  /**
   * SQL Server's answer to text it cannot run: a lone identifier is taken as a procedure name
   * (2812), anything else is a syntax error near its first word (102).
   */
  public static QueryResult unknownStatement(String sql, QueryContext context) {
    if (sql.isEmpty()) {
      return QueryResult.done();
    }
    if (sql.matches("[\\p{L}_@#][\\p{L}\\p{N}_@#$.\\[\\]]*")) {
      return QueryResult.error(2812, 62, 16, "Could not find stored procedure '" + sql + "'.");
    }
    String near = sql.split("[\\s(),;]+", 2)[0];
    if (near.isEmpty()) {
      near = sql.substring(0, 1);
    }
    return QueryResult.compileError(102, 1, 15, "Incorrect syntax near '" + near + "'.");
  }
}
