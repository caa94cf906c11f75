package io.tdsagent.lab.sql;

import io.tdsagent.lab.token.ServerMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a batch answers, as a sequence of parts. Result sets, errors and plain completions each end with a DONE
 * (the writer sets DONE_MORE on all but the last); messages and environment changes go before them.
 */
public final class QueryResult {
    /** One part of a response. */
    public interface Part {
    }

    /** A result set: COLMETADATA, ROWs, DONE with the row count. */
    public static final class Rows implements Part {
        public final ResultTable table;

        Rows(ResultTable table) {
            this.table = table;
        }
    }

    /** An ERROR token followed by DONE with the ERROR bit. */
    public static final class Error implements Part {
        public final ServerMessage message;

        Error(ServerMessage message) {
            this.message = message;
        }
    }

    /** An INFO token (no DONE of its own). */
    public static final class Info implements Part {
        public final ServerMessage message;

        Info(ServerMessage message) {
            this.message = message;
        }
    }

    /** A statement that returns no rows: DONE, with a row count if {@code rowCount >= 0}. */
    public static final class Completion implements Part {
        public final long rowCount;

        Completion(long rowCount) {
            this.rowCount = rowCount;
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

    public QueryResult error(ServerMessage message) {
        parts.add(new Error(message));
        return this;
    }

    public QueryResult info(ServerMessage message) {
        parts.add(new Info(message));
        return this;
    }

    public QueryResult completion(long rowCount) {
        parts.add(new Completion(rowCount));
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
