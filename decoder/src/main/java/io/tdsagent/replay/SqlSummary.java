package io.tdsagent.replay;

import java.util.Locale;

/**
 * A short name for a batch, in the manner of OpenTelemetry's {@code db.query.summary}: the operation and, where
 * an obvious one exists, its target ("SELECT users", "INSERT dbo.orders", "EXEC sp_who"). A lexical look at the
 * first statement only; never a parser.
 */
final class SqlSummary {
    private SqlSummary() {
    }

    /** The operation keyword, upper-case, or null if the text starts with none. */
    static String operation(String sql) {
        String[] w = firstWords(sql, 1);
        return w[0];
    }

    static String summary(String sql) {
        String[] w = firstWords(sql, 1);
        String op = w[0];
        if (op == null) {
            return null;
        }
        String target = null;
        String rest = afterWord(sql, op);
        switch (op) {
            case "SELECT":
            case "DELETE":
                target = identifierAfter(rest, "FROM");
                if (target == null && op.equals("DELETE")) {
                    target = identifier(rest);
                }
                break;
            case "INSERT":
            case "MERGE":
                target = identifierAfter(rest, "INTO");
                if (target == null) {
                    target = identifier(rest);
                }
                break;
            case "UPDATE":
            case "EXEC":
            case "EXECUTE":
            case "TRUNCATE":
                target = identifier(rest.replaceFirst("(?i)^\\s*TABLE\\b", ""));
                break;
            case "CREATE":
            case "ALTER":
            case "DROP": {
                String[] two = firstWords(rest, 1);
                if (two[0] != null) {
                    op = op + " " + two[0];
                    target = identifier(afterWord(rest, two[0]));
                }
                break;
            }
            default:
                break;
        }
        if (op.equals("EXECUTE")) {
            op = "EXEC";
        }
        return target == null ? op : op + " " + target;
    }

    /** Strips leading white space, comments and parentheses; then up to n words of letters. */
    private static String[] firstWords(String sql, int n) {
        String[] out = new String[n];
        if (sql == null) {
            return out;
        }
        int p = skipNoise(sql, 0);
        int e = p;
        while (e < sql.length() && Character.isLetter(sql.charAt(e))) {
            e++;
        }
        out[0] = e > p ? sql.substring(p, e).toUpperCase(Locale.ROOT) : null;
        return out;
    }

    private static int skipNoise(String s, int p) {
        while (p < s.length()) {
            char c = s.charAt(p);
            if (Character.isWhitespace(c) || c == '(' || c == ';') {
                p++;
            } else if (s.startsWith("--", p)) {
                int nl = s.indexOf('\n', p);
                p = nl < 0 ? s.length() : nl + 1;
            } else if (s.startsWith("/*", p)) {
                int end = s.indexOf("*/", p + 2);
                p = end < 0 ? s.length() : end + 2;
            } else {
                break;
            }
        }
        return p;
    }

    private static String afterWord(String sql, String word) {
        int p = skipNoise(sql, 0);
        return sql.substring(Math.min(sql.length(), p + word.length()));
    }

    /** The identifier after the first whole-word keyword (outside brackets and quotes), or null. */
    private static String identifierAfter(String s, String keyword) {
        int depth = 0;
        for (int i = 0; i + keyword.length() <= s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    return null;
                }
                i = end;
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (depth == 0 && s.regionMatches(true, i, keyword, 0, keyword.length())
                    && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)))
                    && (i + keyword.length() == s.length() || !Character.isLetterOrDigit(s.charAt(i + keyword.length())))) {
                return identifier(s.substring(i + keyword.length()));
            }
        }
        return null;
    }

    /** A possibly dotted, bracketed or quoted name at the start (after blanks), brackets and quotes dropped. */
    private static String identifier(String s) {
        int p = 0;
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
            p++;
        }
        StringBuilder sb = new StringBuilder();
        while (p < s.length() && sb.length() < 128) {
            char c = s.charAt(p);
            if (c == '[' || c == '"') {
                char close = c == '[' ? ']' : '"';
                int end = s.indexOf(close, p + 1);
                if (end < 0) {
                    break;
                }
                sb.append(s, p + 1, end);
                p = end + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '#' || c == '@' || c == '$') {
                sb.append(c);
                p++;
            } else if (c == '.' && sb.length() > 0) {
                sb.append(c);
                p++;
            } else {
                break;
            }
        }
        String id = sb.toString();
        return id.isEmpty() || id.startsWith("@") ? null : id;
    }
}
