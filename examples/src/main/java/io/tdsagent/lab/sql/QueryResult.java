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
  public static final class Rows implements Part {
    public final ResultTable table;

    Rows(ResultTable table) {
      this.table = table;
    }
  }

  /**
   * Rows produced while they are written (never held in memory): COLMETADATA, {@code count} ROWs
   * filled by {@code filler}, DONE. With {@code pauseMillis > 0} the server waits that long before
   * each row (a slow query that an ATTENTION can cancel).
   */
  public static final class StreamedRows implements Part {
    public final List<Column> columns;
    public final long count;
    public final RowFiller filler;
    public final long pauseMillis;

    StreamedRows(List<Column> columns, long count, RowFiller filler, long pauseMillis) {
      this.columns = List.copyOf(columns);
      this.count = count;
      this.filler = Objects.requireNonNull(filler);
      this.pauseMillis = pauseMillis;
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
  public static final class Error implements Part {
    public final ServerMessage message;
    public final ResultTable table;

    Error(ServerMessage message, ResultTable table) {
      this.message = message;
      this.table = table;
    }
  }

  /**
   * RETURNSTATUS of a procedure run by EXEC in a SQL batch. Inside an RPC it is left out: there the
   * RPC's own RETURNSTATUS must be the first one the driver sees (it announces the RPC's OUTPUT
   * parameters).
   */
  public static final class ReturnStatus implements Part {
    public final int value;

    ReturnStatus(int value) {
      this.value = value;
    }
  }

  /** WAITFOR DELAY: the server waits (an ATTENTION cancels it); no tokens of its own. */
  public static final class Delay implements Part {
    public final long millis;

    Delay(long millis) {
      this.millis = millis;
    }
  }

  /** An INFO token (no DONE of its own). */
  public static final class Info implements Part {
    public final ServerMessage message;

    Info(ServerMessage message) {
      this.message = message;
    }
  }

  /**
   * A statement that returns no rows: DONE, with a row count if {@code rowCount >= 0}, and its
   * CurCmd.
   */
  public static final class Completion implements Part {
    public final long rowCount;
    public final int curCmd;

    Completion(long rowCount, int curCmd) {
      this.rowCount = rowCount;
      this.curCmd = curCmd;
    }
  }

  /** ENVCHANGE database (+ INFO 5701); no DONE of its own. */
  public static final class DatabaseChanged implements Part {
    public final String newDatabase;
    public final String oldDatabase;

    DatabaseChanged(String newDatabase, String oldDatabase) {
      this.newDatabase = newDatabase;
      this.oldDatabase = oldDatabase;
    }
  }

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
    parts.add(new Rows(table));
    return this;
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
    parts.add(new Error(message, null));
    return this;
  }

  /**
   * A run-time error inside a SELECT: the table's metadata (and rows) first, then ERROR and
   * DONE(ERROR).
   */
  public QueryResult errorAfter(ResultTable partial, ServerMessage message) {
    parts.add(new Error(message, partial));
    return this;
  }

  public QueryResult streamedRows(List<Column> columns, long count, RowFiller filler) {
    parts.add(new StreamedRows(columns, count, filler, 0));
    return this;
  }

  /** Streamed rows with a pause before each one (a long-running, cancellable SELECT). */
  public QueryResult slowRows(
      List<Column> columns, long count, long pauseMillis, RowFiller filler) {
    parts.add(new StreamedRows(columns, count, filler, pauseMillis));
    return this;
  }

  public QueryResult returnStatus(int value) {
    parts.add(new ReturnStatus(value));
    return this;
  }

  public QueryResult delay(long millis) {
    parts.add(new Delay(millis));
    return this;
  }

  /** DONE with a row count and the statement's CurCmd (e.g. {@code Done.CMD_INSERT}). */
  public QueryResult completion(long rowCount, int curCmd) {
    parts.add(new Completion(rowCount, curCmd));
    return this;
  }

  /** Appends another result's parts (the statements of one batch). */
  public QueryResult append(QueryResult other) {
    parts.addAll(other.parts);
    return this;
  }

  public QueryResult info(ServerMessage message) {
    parts.add(new Info(message));
    return this;
  }

  public QueryResult completion(long rowCount) {
    parts.add(new Completion(rowCount, 0));
    return this;
  }

  public QueryResult databaseChanged(String newDatabase, String oldDatabase) {
    parts.add(new DatabaseChanged(newDatabase, oldDatabase));
    return this;
  }

  public List<Part> parts() {
    return Collections.unmodifiableList(parts);
  }
}
