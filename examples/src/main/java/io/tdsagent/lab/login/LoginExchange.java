package io.tdsagent.lab.login;

import io.tdsagent.lab.Step;
import java.io.IOException;

/**
 * What an {@link Authenticator} may do on the connection while it decides a LOGIN7: SSPI round
 * trips (NTLM's CHALLENGE/AUTHENTICATE) and the connection's step hooks (delays and failures on
 * demand).
 */
public interface LoginExchange {
  /**
   * Sends {@code token} to the client as an SSPI token (0xED), alone in a message, and returns the
   * payload of the client's answer, an SSPI message (packet type 0x11). Null if the client closed
   * the connection instead.
   */
  byte[] sspiRoundTrip(byte[] token) throws IOException;

  /** Runs the server's hooks and delays for {@code step} (throwing drops the connection). */
  void step(Step step) throws IOException;

  /** The connection's server process id (for logs). */
  int spid();

  /**
   * An exchange with no connection behind it: no round trips, no hooks (for tests and SQL-only
   * checks).
   */
  static LoginExchange none() {
    return new LoginExchange() {
      @Override
      public byte[] sspiRoundTrip(byte[] token) throws IOException {
        throw new IOException("no SSPI round trips here");
      }

      @Override
      public void step(Step step) {}

      @Override
      public int spid() {
        return 0;
      }
    };
  }
}
