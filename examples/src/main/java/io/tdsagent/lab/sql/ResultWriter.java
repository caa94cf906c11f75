package io.tdsagent.lab.sql;

import io.tdsagent.lab.token.Collation;
import io.tdsagent.lab.token.Done;
import io.tdsagent.lab.token.EnvChange;
import io.tdsagent.lab.token.TokenType;
import io.tdsagent.lab.token.TokenWriter;
import io.tdsagent.lab.wire.TdsBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encodes a {@link QueryResult} as a token stream (COLMETADATA, ROW, ERROR, INFO, ENVCHANGE, DONE). */
public final class ResultWriter {
    private static final int INTNTYPE = 0x26;
    private static final int NVARCHARTYPE = 0xE7;
    private static final int FLAG_NULLABLE = 0x0001;

    private ResultWriter() {
    }

    public static void write(QueryResult result, TokenWriter w) {
        List<QueryResult.Part> parts = result.parts();
        int lastDone = -1;
        for (int i = 0; i < parts.size(); i++) {
            if (endsWithDone(parts.get(i))) {
                lastDone = i;
            }
        }
        for (int i = 0; i < parts.size(); i++) {
            QueryResult.Part p = parts.get(i);
            int more = i < lastDone ? Done.MORE : Done.FINAL;
            if (p instanceof QueryResult.Rows) {
                ResultTable t = ((QueryResult.Rows) p).table;
                colMetadata(t, w.buffer(), w.tds71());
                for (Object[] row : t.rows()) {
                    row(t, row, w.buffer());
                }
                w.done(Done.COUNT | more, Done.CMD_SELECT, t.rows().size());
            } else if (p instanceof QueryResult.Error) {
                ((QueryResult.Error) p).message.writeAsError(w);
                w.done(Done.ERROR | more, Done.CMD_NONE, 0);
            } else if (p instanceof QueryResult.Info) {
                ((QueryResult.Info) p).message.writeAsInfo(w);
            } else if (p instanceof QueryResult.Completion) {
                long n = ((QueryResult.Completion) p).rowCount;
                w.done((n >= 0 ? Done.COUNT : 0) | more, Done.CMD_NONE, Math.max(0, n));
            } else if (p instanceof QueryResult.DatabaseChanged) {
                QueryResult.DatabaseChanged d = (QueryResult.DatabaseChanged) p;
                w.envChange(EnvChange.DATABASE, d.newDatabase, d.oldDatabase);
                w.info(5701, 1, 0, "Changed database context to '" + d.newDatabase + "'.");
            } else {
                throw new IllegalArgumentException("unknown result part " + p);
            }
        }
        if (lastDone < parts.size() - 1) {
            w.done(Done.FINAL, Done.CMD_NONE, 0);
        }
    }

    private static boolean endsWithDone(QueryResult.Part p) {
        return p instanceof QueryResult.Rows || p instanceof QueryResult.Error || p instanceof QueryResult.Completion;
    }

    /** COLMETADATA: Count, then per column UserType (ULONG), Flags, TYPE_INFO, ColName (B_VARCHAR). */
    static void colMetadata(ResultTable t, TdsBuffer out, boolean tds71) {
        out.byte1(TokenType.COLMETADATA).uint16(t.columns().size());
        for (Column c : t.columns()) {
            if (tds71) {
                out.uint16(0); // UserType is a USHORT before TDS 7.2
            } else {
                out.int32(0);
            }
            out.uint16(c.nullable() ? FLAG_NULLABLE : 0);
            switch (c.type()) {
                case INT:
                    out.byte1(INTNTYPE).byte1(4);
                    break;
                case BIGINT:
                    out.byte1(INTNTYPE).byte1(8);
                    break;
                case NVARCHAR:
                    out.byte1(NVARCHARTYPE).uint16(c.maxLength() * 2).bytes(Collation.SQL_LATIN1_GENERAL_CP1_CI_AS);
                    break;
                default:
                    throw new IllegalStateException(c.type().toString());
            }
            out.bVarchar(c.name());
        }
    }

    /** ROW: each value as its type's data (length-prefixed; INTN length 0 and NVARCHAR 0xFFFF mean NULL). */
    static void row(ResultTable t, Object[] values, TdsBuffer out) {
        out.byte1(TokenType.ROW);
        for (int i = 0; i < values.length; i++) {
            Column c = t.columns().get(i);
            Object v = values[i];
            switch (c.type()) {
                case INT:
                    if (v == null) {
                        out.byte1(0);
                    } else {
                        out.byte1(4).int32(((Number) v).intValue());
                    }
                    break;
                case BIGINT:
                    if (v == null) {
                        out.byte1(0);
                    } else {
                        out.byte1(8).int64(((Number) v).longValue());
                    }
                    break;
                case NVARCHAR:
                    if (v == null) {
                        out.uint16(0xFFFF);
                    } else {
                        byte[] b = v.toString().getBytes(StandardCharsets.UTF_16LE);
                        if (b.length > c.maxLength() * 2) {
                            throw new IllegalArgumentException("value longer than NVARCHAR(" + c.maxLength() + ")");
                        }
                        out.uint16(b.length).bytes(b);
                    }
                    break;
                default:
                    throw new IllegalStateException(c.type().toString());
            }
        }
    }
}
