package io.tdsagent.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class IsoTimeTest {
  /** A certificate's two dates, login after login, then another certificate's: always right. */
  @Test
  void keptTextsAreTheDatesAsked() {
    long notBefore = Instant.parse("2026-12-04T10:59:11Z").toEpochMilli();
    long notAfter = Instant.parse("2027-12-05T10:59:11Z").toEpochMilli();
    for (int login = 0; login < 3; login++) {
      assertEquals("2026-12-04T10:59:11Z", IsoTime.format(notBefore));
      assertEquals("2027-12-05T10:59:11Z", IsoTime.format(notAfter));
    }
    assertEquals("1970-01-01T00:00:00Z", IsoTime.format(0));
    assertEquals("2001-09-09T01:46:40.123Z", IsoTime.format(1_000_000_000_123L));
    assertEquals("2027-12-05T10:59:11Z", IsoTime.format(notAfter));
    assertEquals("2026-12-04T10:59:11Z", IsoTime.format(notBefore));
    Instant odd = Instant.ofEpochSecond(1, 123_456_789);
    assertEquals(String.valueOf(odd), IsoTime.format(odd));
    assertEquals("null", IsoTime.format((Instant) null));
    assertEquals("2027-12-05T10:59:11Z", IsoTime.format(Instant.ofEpochMilli(notAfter)));
  }
}
