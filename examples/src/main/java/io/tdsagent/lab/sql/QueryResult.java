package io.tdsagent.lab.sql;

import io.tdsagent.lab.token.ServerMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a batch answers, as a sequence of parts. Result sets, errors and plain completions each end
 * with a DONE (the writer sets DONE_MORE on all but the last); messages and environment changes go
 * before them.
 */
public final class QueryResult {
  /** One part of a response. */
  public interface Part {}

  /** A result set: COLMETADATA, ROWs, DONE with the row count. */
  public record Rows(ResultTable table) implements Part {}

  /**
   * Rows produced while they are written (never held in memory): COLMETADATA, {@code count} ROWs
   * filled by {@code filler}, DONE. With {@code pauseMillis > 0} the server waits that long before
   * each row (a slow query that an ATTENTION can cancel).
   */
  public record StreamedRows(List<Column> columns, long count, RowFiller filler, long pauseMillis)
      implements Part {
    public StreamedRows {
      columns = List.copyOf(columns);
      Objects.requireNonNull(filler);
    }
  }

  /**
   * Fills row {@code index} (0-based) into {@code values} (one slot per column; the array is
   * reused).
   */
  @FunctionalInterface
  public interface RowFiller {
    void fill(long index, Object[] values);
  }

  /**
   * An ERROR token followed by DONE with the ERROR bit. With {@code table} non-null, a run-time
   * error inside a SELECT: its COLMETADATA (and rows produced so far) go first, as SQL Server sends
   * them.
   */
  public record Error(ServerMessage message, ResultTable table) implements Part {}

  /**
   * RETURNSTATUS of a procedure run by EXEC in a SQL batch. Inside an RPC it is left out: there the
   * RPC's own RETURNSTATUS must be the first one the driver sees (it announces the RPC's OUTPUT
   * parameters).
   */
  public record ReturnStatus(int value) implements Part {}

  /** WAITFOR DELAY: the server waits (an ATTENTION cancels it); no tokens of its own. */
  public record Delay(long millis) implements Part {}

  /** An INFO token (no DONE of its own). */
  public record Info(ServerMessage message) implements Part {}

  /**
   * A statement that returns no rows: DONE, with a row count if {@code rowCount >= 0}, and its
   * CurCmd.
   */
  public record Completion(long rowCount, int curCmd) implements Part {}

  /** ENVCHANGE database (+ INFO 5701); no DONE of its own. */
  public record DatabaseChanged(String newDatabase, String oldDatabase) implements Part {}

  private final List<Part> parts = new ArrayList<>();
  private boolean abortsBatch;

  public static QueryResult of(ResultTable table) {
    return new QueryResult().rows(table);
  }

  public static QueryResult error(int number, int state, int severityClass, String text) {
    return new QueryResult().error(new ServerMessage(number, state, severityClass, text));
  }

  public static QueryResult done() {
    return new QueryResult().completion(-1);
  }

  public QueryResult rows(ResultTable table) {
    return add(new Rows(table));
  }

  /**
   * A compile-time error (syntax, 102): SQL Server runs none of the batch, so when this statement
   * is part of a multi-statement batch the whole response is just this error.
   */
  public static QueryResult compileError(int number, int state, int severityClass, String text) {
    QueryResult r = error(number, state, severityClass, text);
    r.abortsBatch = true;
    return r;
  }

  public boolean abortsBatch() {
    return abortsBatch;
  }

  public QueryResult error(ServerMessage message) {
    return add(new Error(message, null));
  }

  /**
   * A run-time error inside a SELECT: the table's metadata (and rows) first, then ERROR and
   * DONE(ERROR).
   */
  public QueryResult errorAfter(ResultTable partial, ServerMessage message) {
    return add(new Error(message, partial));
  }

  public QueryResult streamedRows(List<Column> columns, long count, RowFiller filler) {
    return add(new StreamedRows(columns, count, filler, 0));
  }

  /** Streamed rows with a pause before each one (a long-running, cancellable SELECT). */
  public QueryResult slowRows(
      List<Column> columns, long count, long pauseMillis, RowFiller filler) {
    return add(new StreamedRows(columns, count, filler, pauseMillis));
  }

  public QueryResult returnStatus(int value) {
    return add(new ReturnStatus(value));
  }

  public QueryResult delay(long millis) {
    return add(new Delay(millis));
  }

  /** DONE with a row count and the statement's CurCmd (e.g. {@code Done.CMD_INSERT}). */
  public QueryResult completion(long rowCount, int curCmd) {
    return add(new Completion(rowCount, curCmd));
  }

  /** Appends another result's parts (the statements of one batch). */
  public QueryResult append(QueryResult other) {
    parts.addAll(other.parts);
    return this;
  }

  public QueryResult info(ServerMessage message) {
    return add(new Info(message));
  }

  public QueryResult completion(long rowCount) {
    return add(new Completion(rowCount, 0));
  }

  public QueryResult databaseChanged(String newDatabase, String oldDatabase) {
    return add(new DatabaseChanged(newDatabase, oldDatabase));
  }

  private QueryResult add(Part p) {
    parts.add(p);
    return this;
  }

  public List<Part> parts() {
    return Collections.unmodifiableList(parts);
  }
}
