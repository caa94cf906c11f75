package io.tdsagent.lab.sql;

import io.tdsagent.lab.token.Done;
import io.tdsagent.lab.token.EnvChange;
import io.tdsagent.lab.token.TokenType;
import io.tdsagent.lab.token.TokenWriter;
import io.tdsagent.lab.wire.TdsBuffer;
import java.io.IOException;
import java.util.List;

/**
 * Encodes {@link QueryResult} parts as a token stream (COLMETADATA, ROW/NBCROW, ERROR, INFO,
 * ENVCHANGE, DONE or DONEINPROC) into a {@link TokenOutput}, which may send packets while rows are
 * still being produced. The token layout follows the session's TDS version as set on the {@link
 * TokenWriter} ({@link TokenWriter#tds71()}: 2-byte UserType, 4-byte DONE row counts for TDS
 * 7.0/7.1 clients such as jTDS).
 */
public final class ResultWriter {
  private static final int FLAG_NULLABLE = 0x0001;

  private ResultWriter() {}

  /** Writes a whole batch response into a buffer (no streaming); the last DONE is final. */
  public static void write(QueryResult result, TokenWriter w) {
    TokenOutput out =
        new TokenOutput() {
          @Override
          public TdsBuffer buffer() {
            return w.buffer();
          }

          @Override
          public void spill() {}

          @Override
          public void tokenBoundary() {}

          @Override
          public void pause(long millis) {}
        };
    try {
      writeParts(result.parts(), out, w, TokenType.DONE, false);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes parts. Result sets, errors and completions each end with a {@code doneToken} (DONE in a
   * batch, DONEINPROC inside an RPC) that has DONE_MORE unless it is the last one and {@code
   * moreFollows} is false. In a batch ({@code doneToken == DONE}) a response whose last part has no
   * DONE of its own gets a final DONE.
   *
   * @return whether an ERROR was written
   */
  public static boolean writeParts(
      List<QueryResult.Part> parts,
      TokenOutput out,
      TokenWriter w,
      int doneToken,
      boolean moreFollows)
      throws IOException {
    int lastDone = -1;
    for (int i = 0; i < parts.size(); i++) {
      if (endsWithDone(parts.get(i))) {
        lastDone = i;
      }
    }
    boolean trailingDone = doneToken == TokenType.DONE && lastDone < parts.size() - 1;
    boolean error = false;
    TdsBuffer b = out.buffer();
    for (int i = 0; i < parts.size(); i++) {
      QueryResult.Part p = parts.get(i);
      int more = i < lastDone || moreFollows || trailingDone ? Done.MORE : Done.FINAL;
      if (p instanceof QueryResult.Rows rows) {
        ResultTable t = rows.table();
        List<Column> cols = columns(t.columns(), w);
        colMetadata(cols, b, w.tds71());
        for (Object[] row : t.rows()) {
          row(cols, values(t.columns(), row, w), out, !w.downLevelTypes());
          out.tokenBoundary();
        }
        w.done(doneToken, Done.COUNT | more, Done.CMD_SELECT, t.rows().size());
      } else if (p instanceof QueryResult.StreamedRows s) {
        List<Column> cols = columns(s.columns(), w);
        colMetadata(cols, b, w.tds71());
        out.tokenBoundary();
        Object[] values = new Object[s.columns().size()];
        for (long r = 0; r < s.count(); r++) {
          if (s.pauseMillis() > 0) {
            out.pause(s.pauseMillis());
          }
          java.util.Arrays.fill(values, null);
          s.filler().fill(r, values);
          row(cols, values(s.columns(), values, w), out, !w.downLevelTypes());
          out.tokenBoundary();
        }
        w.done(doneToken, Done.COUNT | more, Done.CMD_SELECT, s.count());
      } else if (p instanceof QueryResult.Error e) {
        ResultTable t = e.table();
        if (t != null) {
          List<Column> cols = columns(t.columns(), w);
          colMetadata(cols, b, w.tds71());
          for (Object[] row : t.rows()) {
            row(cols, values(t.columns(), row, w), out, !w.downLevelTypes());
          }
        }
        e.message().writeAsError(w);
        w.done(doneToken, Done.ERROR | more, t != null ? Done.CMD_SELECT : Done.CMD_NONE, 0);
        error = true;
      } else if (p instanceof QueryResult.Info info) {
        info.message().writeAsInfo(w);
      } else if (p instanceof QueryResult.Completion c) {
        w.done(
            doneToken,
            (c.rowCount() >= 0 ? Done.COUNT : 0) | more,
            c.curCmd(),
            Math.max(0, c.rowCount()));
      } else if (p instanceof QueryResult.ReturnStatus r) {
        if (doneToken == TokenType.DONE) {
          b.byte1(TokenType.RETURNSTATUS).int32(r.value());
        }
      } else if (p instanceof QueryResult.Delay d) {
        out.tokenBoundary();
        out.pause(d.millis());
      } else if (p instanceof QueryResult.DatabaseChanged d) {
        w.envChange(EnvChange.DATABASE, d.newDatabase(), d.oldDatabase());
        w.info(5701, 1, 0, "Changed database context to '" + d.newDatabase() + "'.");
      } else {
        throw new IllegalArgumentException("unknown result part " + p);
      }
      out.tokenBoundary();
    }
    if (trailingDone) {
      w.done(Done.FINAL | (moreFollows ? Done.MORE : 0), Done.CMD_NONE, 0);
    }
    return error;
  }

  /** The columns as the session's client gets them (see {@link DownLevelTypes}). */
  private static List<Column> columns(List<Column> columns, TokenWriter w) {
    return w.downLevelTypes() && DownLevelTypes.needed(columns)
        ? DownLevelTypes.columns(columns)
        : columns;
  }

  private static Object[] values(List<Column> columns, Object[] row, TokenWriter w) {
    return w.downLevelTypes() && DownLevelTypes.needed(columns)
        ? DownLevelTypes.values(columns, row)
        : row;
  }

  private static boolean endsWithDone(QueryResult.Part p) {
    return p instanceof QueryResult.Rows
        || p instanceof QueryResult.StreamedRows
        || p instanceof QueryResult.Error
        || p instanceof QueryResult.Completion;
  }

  /**
   * COLMETADATA: Count, then per column UserType (ULONG since TDS 7.2, USHORT before: {@code
   * tds71}), Flags, TYPE_INFO, ColName (B_VARCHAR).
   */
  public static void colMetadata(List<Column> columns, TdsBuffer out, boolean tds71) {
    out.byte1(TokenType.COLMETADATA).uint16(columns.size());
    for (Column c : columns) {
      userType(out, tds71);
      out.uint16(c.nullable() ? FLAG_NULLABLE : 0);
      ValueCodec.writeTypeInfo(c, out);
      out.bVarchar(c.name());
    }
  }

  /**
   * One row: NBCROW (a null bitmap, then the non-null values) when that is shorter than a ROW with
   * inline NULLs, as SQL Server decides; else ROW.
   */
  public static void row(List<Column> columns, Object[] values, TokenOutput out)
      throws IOException {
    row(columns, values, out, true);
  }

  /** One row; {@code nbcRow} false: always ROW (a client before TDS 7.3 has no NBCROW). */
  public static void row(List<Column> columns, Object[] values, TokenOutput out, boolean nbcRow)
      throws IOException {
    int n = columns.size();
    int bitmapBytes = (n + 7) / 8;
    int inlineNulls = 0;
    for (int i = 0; i < n; i++) {
      if (values[i] == null) {
        inlineNulls += ValueCodec.inlineNullSize(columns.get(i));
      }
    }
    TdsBuffer b = out.buffer();
    if (nbcRow && inlineNulls > bitmapBytes) {
      b.byte1(TokenType.NBCROW);
      for (int i = 0; i < bitmapBytes; i++) {
        int bits = 0;
        for (int j = 0; j < 8 && 8 * i + j < n; j++) {
          if (values[8 * i + j] == null) {
            bits |= 1 << j;
          }
        }
        b.byte1(bits);
      }
      for (int i = 0; i < n; i++) {
        if (values[i] != null) {
          ValueCodec.writeValue(columns.get(i), values[i], out);
        }
      }
    } else {
      b.byte1(TokenType.ROW);
      for (int i = 0; i < n; i++) {
        ValueCodec.writeValue(columns.get(i), values[i], out);
      }
    }
  }

  /** UserType of COLMETADATA and RETURNVALUE: 0, as a ULONG since TDS 7.2 and a USHORT before. */
  public static void userType(TdsBuffer out, boolean tds71) {
    if (tds71) {
      out.uint16(0);
    } else {
      out.int32(0);
    }
  }
}
