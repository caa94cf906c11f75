package io.tdsagent.agent.instrumentation.jtds;

import io.tdsagent.agent.tap.Taps;
import java.net.Socket;

/**
 * What the calls woven into jTDS's {@code SharedSocket} reach: hand-over only, the logic is in {@link Taps}; anything
 * thrown is swallowed, so the driver never sees the agent fail. Values the driver's method is returning come first
 * (they are on its stack).
 */
public final class JtdsHooks {
  /** When this thread's {@code SharedSocket} constructor (which connects the TCP socket) started. */
  private static final ThreadLocal<long[]> CONNECT_STARTED = new ThreadLocal<>() {
    @Override
    protected long[] initialValue() {
      return new long[1];
    }
  };

  private JtdsHooks() {}

  public static void connecting() {
    try {
      CONNECT_STARTED.get()[0] = System.nanoTime();
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /** The constructor returned: the socket is connected. */
  public static void connected(Object self, Object connection, String host, int port, Socket socket) {
    try {
      Taps.connected(self, host, port, CONNECT_STARTED.get()[0], socket, connection);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void writePacket(Object self, byte[] packet) {
    try {
      Taps.writePacket(self, packet);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void readPacket(byte[] packet, Object self) {
    try {
      Taps.readPacket(self, packet);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void tlsStarting(Object self) {
    try {
      Taps.tlsStarting(self, false);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void tlsFinished(Object self) {
    try {
      Taps.tlsFinished(self, null);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void tlsFailed(Throwable thrown, Object self) {
    try {
      Taps.tlsFinished(self, thrown);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /** cancel() writes an 8-byte ATTENTION straight to the socket, bypassing sendNetPacket. */
  public static void cancelled(boolean sent, Object self) {
    try {
      if (sent) {
        Taps.attentionSent(self);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void close(Object self) {
    try {
      Taps.close(self);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }
}
