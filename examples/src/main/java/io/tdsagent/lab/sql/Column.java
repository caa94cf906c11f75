package io.tdsagent.lab.sql;

/** A result column: name, type, maximum length (characters, NVARCHAR only) and nullability. */
public final class Column {
    private final String name;
    private final SqlType type;
    private final int maxLength;
    private final boolean nullable;

    private Column(String name, SqlType type, int maxLength, boolean nullable) {
        if (type == SqlType.NVARCHAR && (maxLength < 1 || maxLength > 4000)) {
            throw new IllegalArgumentException("NVARCHAR length " + maxLength + " (1..4000)");
        }
        this.name = name == null ? "" : name;
        this.type = type;
        this.maxLength = maxLength;
        this.nullable = nullable;
    }

    public static Column integer(String name) {
        return new Column(name, SqlType.INT, 0, false);
    }

    public static Column bigint(String name) {
        return new Column(name, SqlType.BIGINT, 0, false);
    }

    public static Column nvarchar(String name, int maxChars) {
        return new Column(name, SqlType.NVARCHAR, maxChars, true);
    }

    public Column nullable(boolean n) {
        return new Column(name, type, maxLength, n);
    }

    public String name() { return name; }
    public SqlType type() { return type; }
    public int maxLength() { return maxLength; }
    public boolean nullable() { return nullable; }
}
