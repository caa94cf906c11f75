package io.tdsagent.lab.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps batch text to handlers: exact statements (compared case-insensitively after collapsing whitespace and
 * dropping trailing semicolons), then regular expressions, in the order added; unknown text gets the fallback
 * (a SQL Server-like error).
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
        routes.add(new Route(Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.DOTALL), handler));
        return this;
    }

    public QueryRouter fallback(QueryHandler handler) {
        this.fallback = handler;
        return this;
    }

    public QueryResult route(String sql, QueryContext context) {
        String normalized = normalize(sql);
        for (Route r : routes) {
            if (r.pattern.matcher(normalized).matches()) {
                return r.handler.handle(normalized, context);
            }
        }
        return fallback.handle(normalized, context);
    }

    /** Trims, collapses whitespace runs to one space and drops trailing semicolons. */
    public static String normalize(String sql) {
        String s = sql.trim().replaceAll("\\s+", " ");
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).trim();
        }
        return s;
    }

    /** Appends another router's routes (not its fallback). */
    public QueryRouter addAll(QueryRouter other) {
        routes.addAll(other.routes);
        return this;
    }

    /** Appends the built-in routes. */
    public QueryRouter addDefaults() {
        exact("SELECT 1", (sql, ctx) -> QueryResult.of(ResultTable.single(Column.integer(""), 1)));
        exact("SELECT @@VERSION",
                (sql, ctx) -> QueryResult.of(ResultTable.single(Column.nvarchar("", 300), ctx.versionBanner())));
        exact("SELECT @@SPID", (sql, ctx) -> QueryResult.of(ResultTable.single(Column.integer(""), ctx.spid())));
        exact("SELECT DB_NAME()",
                (sql, ctx) -> QueryResult.of(ResultTable.single(Column.nvarchar("", 128), ctx.database())));
        matching("SELECT (SUSER_NAME|SUSER_SNAME|SYSTEM_USER)(\\(\\))?",
                (sql, ctx) -> QueryResult.of(ResultTable.single(Column.nvarchar("", 128), ctx.login())));
        Pattern use = Pattern.compile("USE \\[?([^\\]]+)\\]?", Pattern.CASE_INSENSITIVE);
        matching(use.pattern(), (sql, ctx) -> {
            Matcher m = use.matcher(sql);
            String wanted = m.matches() ? m.group(1).trim() : sql;
            String old = ctx.database();
            String now = ctx.useDatabase(wanted);
            if (now == null) {
                return QueryResult.error(911, 1, 16, "Database '" + wanted
                        + "' does not exist. Make sure that the name is entered correctly.");
            }
            return new QueryResult().databaseChanged(now, old).completion(-1);
        });
        // jTDS's first batch after login: "SELECT @@MAX_PRECISION" then SET statements; it reads one byte.
        matching("SELECT @@MAX_PRECISION( SET .*)?",
                (sql, ctx) -> QueryResult.of(ResultTable.single(Column.integer(""), 38)));
        // Session settings and transaction housekeeping drivers send (setAutoCommit, isolation level, commit).
        matching("SET .*", (sql, ctx) -> QueryResult.done());
        matching("IF @@TRANCOUNT ?> ?0 (COMMIT|ROLLBACK)( TRAN(SACTION)?)?", (sql, ctx) -> QueryResult.done());
        return this;
    }

    /**
     * SQL Server's answer to text it cannot run: a lone identifier is taken as a procedure name (2812), anything
     * else is a syntax error near its first word (102).
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
        return QueryResult.error(102, 1, 15, "Incorrect syntax near '" + near + "'.");
    }
}
