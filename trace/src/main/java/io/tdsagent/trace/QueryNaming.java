package io.tdsagent.trace;

import static io.tdsagent.trace.TdsAttributes.*;

import io.tdsagent.tds.sql.SqlText;

/**
 * Names a request span after its query, on the export thread: {@code db.query.text} (sanitised
 * unless the user opted in to raw text), {@code db.query.summary} as the span name, {@code
 * db.operation.name}, {@code db.collection.name} where it is one plain name, and {@code
 * db.stored_procedure.name} for procedure calls.
 */
final class QueryNaming {
  private QueryNaming() {}

  static SpanPlan.Deferred sql(String text, boolean raw) {
    return b -> {
      String sanitized = SqlText.sanitize(text);
      String summary = SqlText.summaryOfSanitized(sanitized);
      b.name(summary != null ? summary : DB_SYSTEM_NAME_VALUE)
          .attr(DB_QUERY_TEXT, raw ? text : sanitized)
          .attr(DB_QUERY_SUMMARY, summary)
          .attr(DB_OPERATION_NAME, SqlText.operation(summary))
          .attr(DB_COLLECTION_NAME, SqlText.collection(summary));
      String op = SqlText.operation(summary);
      if ("EXECUTE".equals(op) && summary.length() > op.length()) {
        b.attr(DB_STORED_PROCEDURE_NAME, summary.substring(op.length() + 1));
      }
    };
  }

  /** A procedure called by name over RPC: named by its summary, as an EXEC statement's span is. */
  static SpanPlan.Deferred storedProcedure(String name) {
    String summary = "EXECUTE " + name;
    return b ->
        b.name(summary)
            .attr(DB_STORED_PROCEDURE_NAME, name)
            .attr(DB_OPERATION_NAME, "EXECUTE")
            .attr(DB_QUERY_SUMMARY, summary);
  }
}
