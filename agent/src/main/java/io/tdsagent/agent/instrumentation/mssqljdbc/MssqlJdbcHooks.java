package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.agent.tap.Taps;

/**
 * What the calls woven into mssql-jdbc's {@code TDSChannel} and {@code SQLServerConnection} reach: they hand over to
 * {@link Taps} and swallow anything thrown, so the driver never sees the agent fail. Parameters that the driver's
 * method is returning or throwing come first (they are on its stack).
 */
public final class MssqlJdbcHooks {
  private MssqlJdbcHooks() {}

  /** {@code open(host, port, ...)}: one connection attempt starts with its TCP connect. */
  public static void open(Object channel, String host, int port) {
    try {
      Taps.open(channel, host, port);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /** {@code open} returned: the connected address from 8.3 on, null before. */
  public static void opened(Object address, Object channel) {
    try {
      Taps.opened(channel, address, null);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void openFailed(Throwable thrown, Object channel) {
    try {
      Taps.opened(channel, null, thrown);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /**
   * {@code enableSSL(...)}: the TLS handshake. Under TDS 8 strict (enableSSL's last parameter from 11.1.2 on) it
   * runs straight on TCP, before PRELOGIN, and never passes through read/write: this bracket is its only witness.
   */
  public static void tlsStarting(Object channel, boolean strict) {
    try {
      Taps.tlsStarting(channel, strict);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void tlsFinished(Object channel) {
    try {
      Taps.tlsFinished(channel, null);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void tlsFailed(Throwable thrown, Object channel) {
    try {
      Taps.tlsFinished(channel, thrown);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /** {@code read(byte[], int, int)} returned {@code count}: every plaintext byte the driver reads, and the end of the stream. */
  public static void read(int count, Object channel, byte[] data, int offset) {
    try {
      Taps.read(channel, data, offset, count);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /**
   * {@code write(byte[], int, int)}: every plaintext byte the driver writes, one whole TDS packet per call. A write
   * is also where a channel opened while capture was off (or before an attach) is picked up.
   */
  public static void write(Object channel, byte[] data, int offset, int length) {
    try {
      Taps.write(channel, data, offset, length);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /** {@code close()}: the end of the attempt, whatever state the login was in. */
  public static void close(Object channel) {
    try {
      Taps.close(channel);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /**
   * {@code SQLServerConnection.terminate(int, String, Throwable)}: how the driver fails a connection on its own side
   * (no Kerberos ticket for the SPN, a JAAS error, a TLS or protocol failure), before the channel is closed.
   */
  public static void terminate(Object channel, String message, Throwable cause) {
    try {
      if (channel != null) {
        Taps.clientError(channel, message, cause);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /** {@code SQLServerConnection.connectHelper(...)} threw. */
  public static void connectFailed(Throwable thrown, Object channel) {
    try {
      if (channel != null) {
        Taps.clientError(channel, thrown.getMessage(), thrown.getCause() != null ? thrown.getCause() : thrown);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }
}
