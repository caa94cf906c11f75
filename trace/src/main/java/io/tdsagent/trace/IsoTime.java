package io.tdsagent.trace;

import java.time.Instant;

/**
 * A certificate's validity dates as ISO-8601 text. A server shows the same certificate login after
 * login, so the last two dates formatted are kept: formatting costs more than the rest of the TLS
 * span.
 */
final class IsoTime {
  private static final class Formatted {
    final long millis;
    final String text;

    Formatted(long millis) {
      this.millis = millis;
      this.text = Instant.ofEpochMilli(millis).toString();
    }
  }

  /** Immutable entries, read and replaced whole: any thread may format. */
  private static volatile Formatted first = new Formatted(0);

  private static volatile Formatted second = first;

  private IsoTime() {}

  /** As {@code String.valueOf(instant)}. */
  static String format(Instant instant) {
    if (instant == null || instant.getNano() % 1_000_000 != 0) {
      return String.valueOf(instant);
    }
    return format(instant.toEpochMilli());
  }

  static String format(long epochMillis) {
    Formatted f = first;
    if (f.millis == epochMillis) {
      return f.text;
    }
    Formatted g = second;
    if (g.millis == epochMillis) {
      return g.text;
    }
    Formatted made = new Formatted(epochMillis);
    second = f;
    first = made;
    return made.text;
  }
}
