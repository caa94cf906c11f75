package io.tdsagent.tds.sql;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * T-SQL text as it may leave the process: literals replaced by {@code ?} (strings, N-strings,
 * numbers, binary {@code 0x..}), comments dropped, white space folded; and a low-cardinality
 * summary for span names, {@code "SELECT users"}, in the manner of the OpenTelemetry database
 * conventions. A lexer, not a parser: it never fails, it only keeps less when unsure.
 */
public final class SqlText {
  // Compiled once: String.split with such a pattern and String.matches compile a Pattern on every
  // call, which was most of the export thread's time per request span.
  private static final Pattern WORD_SEPARATORS = Pattern.compile("[\\s(),;]+");
  private static final Pattern PLAIN_NAME = Pattern.compile("[\\w.\\[\\]#]+");

  private SqlText() {}

  /** Literals out; identifiers, keywords and parameters ({@code @p1}) kept. */
  public static String sanitize(String sql) {
    if (sql == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(Math.min(sql.length(), 4096));
    int n = sql.length();
    int i = 0;
    boolean space = false;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
        space = true;
        continue;
      }
      if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        space = true;
        continue;
      }
      if (Character.isWhitespace(c)) {
        space = true;
        i++;
        continue;
      }
      if (space && out.length() > 0) {
        out.append(' ');
      }
      space = false;
      if (c == '\''
          || ((c == 'N' || c == 'n')
              && i + 1 < n
              && sql.charAt(i + 1) == '\''
              && !identChar(prev(out)))) {
        i = skipQuoted(sql, c == '\'' ? i : i + 1, '\'');
        out.append('?');
      } else if (c == '[') {
        int end = skipQuoted(sql, i, ']');
        out.append(sql, i, end);
        i = end;
      } else if (c == '"') {
        int end = skipQuoted(sql, i, '"');
        out.append(sql, i, end);
        i = end;
      } else if (c == '0'
          && i + 1 < n
          && (sql.charAt(i + 1) == 'x' || sql.charAt(i + 1) == 'X')
          && !identChar(prev(out))) {
        i += 2;
        while (i < n && Character.digit(sql.charAt(i), 16) >= 0) {
          i++;
        }
        out.append('?');
      } else if ((Character.isDigit(c)
              || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))))
          && !identChar(prev(out))) {
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
          i++;
        }
        out.append('?');
      } else if (identStart(c)) {
        int start = i;
        while (i < n && identChar(sql.charAt(i))) {
          i++;
        }
        out.append(sql, start, i);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * {@code "SELECT users"}, {@code "INSERT orders"}, {@code "EXECUTE dbo.add_numbers"}; null when
   * nothing fits.
   */
  public static String summary(String sql) {
    return sql == null ? null : summaryOfSanitized(sanitize(sql));
  }

  /** {@link #summary} of what {@link #sanitize} made of the text, for callers that need both. */
  public static String summaryOfSanitized(String sanitized) {
    if (sanitized == null) {
      return null;
    }
    String[] words = WORD_SEPARATORS.split(sanitized);
    String op = null;
    String target = null;
    for (int i = 0; i < words.length && op == null; i++) {
      String w = words[i].toUpperCase(Locale.ROOT);
      switch (w) {
        case "SELECT":
          op = w;
          target = after(words, i, "FROM");
          break;
        case "INSERT":
          op = w;
          target = after(words, i, "INTO");
          if (target == null && i + 1 < words.length) {
            target = words[i + 1];
          }
          break;
        case "UPDATE":
        case "TRUNCATE":
          op = w;
          target = i + 1 < words.length ? words[i + 1] : null;
          if ("TABLE".equalsIgnoreCase(target) && i + 2 < words.length) {
            target = words[i + 2];
          }
          break;
        case "DELETE":
          op = w;
          target = after(words, i, "FROM");
          if (target == null && i + 1 < words.length) {
            target = words[i + 1];
          }
          break;
        case "MERGE":
          op = w;
          target = after(words, i, "INTO");
          break;
        case "EXEC":
        case "EXECUTE":
          op = "EXECUTE";
          target = i + 1 < words.length ? words[i + 1] : null;
          break;
        case "CREATE":
        case "ALTER":
        case "DROP":
          op = w + (i + 1 < words.length ? " " + words[i + 1].toUpperCase(Locale.ROOT) : "");
          target = i + 2 < words.length ? words[i + 2] : null;
          break;
        case "WITH":
          // a CTE: keep looking for the statement it serves
          break;
        case "BEGIN":
        case "COMMIT":
        case "ROLLBACK":
        case "SET":
        case "USE":
        case "DECLARE":
        case "WAITFOR":
        case "IF":
        case "RAISERROR":
        case "PRINT":
          if (i == 0) {
            op = w;
          }
          break;
        default:
          break;
      }
    }
    if (op == null) {
      return null;
    }
    if (target == null || target.equals("?") || target.startsWith("@") && !op.equals("EXECUTE")) {
      return op;
    }
    return op + " " + target;
  }

  /** The operation of the summary: its first word(s) before the target. */
  public static String operation(String summary) {
    if (summary == null) {
      return null;
    }
    int sp = summary.indexOf(' ');
    if (summary.startsWith("CREATE ")
        || summary.startsWith("ALTER ")
        || summary.startsWith("DROP ")) {
      int second = summary.indexOf(' ', sp + 1);
      return second < 0 ? summary : summary.substring(0, second);
    }
    return sp < 0 ? summary : summary.substring(0, sp);
  }

  /** The target of the summary when it is one plain name (db.collection.name); null otherwise. */
  public static String collection(String summary) {
    String op = operation(summary);
    if (op == null || op.equals(summary) || op.equals("EXECUTE")) {
      return null;
    }
    String t = summary.substring(op.length() + 1);
    return PLAIN_NAME.matcher(t).matches() ? t : null;
  }

  private static String after(String[] words, int from, String keyword) {
    for (int j = from + 1; j + 1 < words.length; j++) {
      if (words[j].equalsIgnoreCase(keyword)) {
        String t = words[j + 1];
        return t.isEmpty() || t.equalsIgnoreCase("SELECT") ? null : t;
      }
    }
    return null;
  }

  private static int skipQuoted(String s, int openAt, char close) {
    int i = openAt + 1;
    int n = s.length();
    while (i < n) {
      if (s.charAt(i) == close) {
        if (i + 1 < n && s.charAt(i + 1) == close) {
          i += 2; // doubled quote: an escaped one
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return n;
  }

  private static char prev(StringBuilder b) {
    return b.length() == 0 ? ' ' : b.charAt(b.length() - 1);
  }

  private static boolean identStart(char c) {
    return Character.isLetter(c) || c == '_' || c == '@' || c == '#';
  }

  private static boolean identChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '@' || c == '#' || c == '$';
  }
}
