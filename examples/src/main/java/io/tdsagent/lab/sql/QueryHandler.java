package io.tdsagent.lab.sql;

/** Answers one SQL batch text. */
@FunctionalInterface
public interface QueryHandler {
  QueryResult handle(String sql, QueryContext context);
}
