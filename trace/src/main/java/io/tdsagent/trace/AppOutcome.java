package io.tdsagent.trace;

import static io.tdsagent.trace.TdsAttributes.CLIENT_ERROR_TYPE;
import static io.tdsagent.trace.TdsAttributes.CLIENT_SQL_STATE;
import static io.tdsagent.trace.TdsAttributes.ERROR_TYPE;

import io.tdsagent.tds.sql.SqlText;

/**
 * What the application got when the driver call that carried a request (or a whole login) threw:
 * the exception's class and SQLState. The wire can look fine while the application fails (the
 * driver could not read a value, or its own set-up after LOGINACK failed), so the span takes the
 * application's word: ERROR, with {@code error.type} the exception's class. A span the wire already
 * made an error keeps its {@code error.type} (the server's number) and gains the client's class and
 * SQLState beside it. Applied on the export thread, after the span's own content.
 *
 * <p>The exception's message goes into the status description with its literals replaced as in SQL
 * text ({@link SqlText#sanitize}): drivers quote the application's values in it ("Conversion failed
 * when converting the varchar value '...' to data type int"). Kept as it is only where the user
 * opted in to raw SQL text.
 */
public final class AppOutcome implements SpanPlan.Deferred {
  private static final int MAX_MESSAGE = 256;

  private final String type;
  private final String sqlState;
  private final String message;
  private final boolean rawText;

  /**
   * @param message the exception's message; bounded here, sanitised on the export thread
   * @param rawText the user opted in to raw SQL text ({@code tds.sql=raw}): the message is kept as
   *     it is
   */
  public AppOutcome(String type, String sqlState, String message, boolean rawText) {
    this.type = type == null ? "unknown" : type;
    this.sqlState = sqlState;
    this.message =
        message == null
            ? null
            : message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
    this.rawText = rawText;
  }

  public String type() {
    return type;
  }

  public String sqlState() {
    return sqlState;
  }

  @Override
  public void complete(SpanPlan.Builder b) {
    b.attr(CLIENT_ERROR_TYPE, type).attr(CLIENT_SQL_STATE, sqlState);
    if (b.status() == SpanPlan.Status.ERROR) {
      return;
    }
    String what =
        LoginTraceBuilder.LOGIN_SPAN.equals(b.name())
            ? "the login succeeded on the wire but the driver failed the connection: "
            : "the driver failed the application's call: ";
    b.error(
            what
                + type
                + (sqlState == null ? "" : " (SQLState " + sqlState + ")")
                + (message == null ? "" : ": " + (rawText ? message : SqlText.sanitize(message))))
        .attr(ERROR_TYPE, type);
  }
}
