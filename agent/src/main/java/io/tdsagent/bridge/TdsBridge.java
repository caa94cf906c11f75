package io.tdsagent.bridge;

import java.net.Socket;

/**
 * What the calls woven into the JDBC drivers' classes reach (see {@code
 * agent.instrumentation.weave.HookWeaver}). The agent puts this class (and {@link Handler}, nothing
 * else) on the bootstrap class path, which every class loader sees: a driver in a loader that
 * cannot see the agent's classes (an application server's web-app or module loader, whose parent is
 * the platform loader) reaches the agent through here. The agent sets the handler once it is
 * active; until then, and if it is never set, every call does nothing.
 *
 * <p>JDK types only, no state but the handler: the class cannot be unloaded or replaced once on the
 * bootstrap path.
 */
public final class TdsBridge {
  /** The agent's side of the hand-over (see {@code io.tdsagent.agent.tap.Taps}). */
  public interface Handler {
    void open(Object channel, String host, int port);

    void opened(Object channel, Object address, Throwable thrown);

    /** jTDS's SharedSocket constructor starts: the TCP connect begins. */
    void connecting();

    void connected(Object channel, String host, int port, Socket socket, Object connection);

    void write(Object channel, byte[] data, int offset, int length);

    void read(Object channel, byte[] data, int offset, int count);

    void writePacket(Object channel, byte[] packet);

    void readPacket(Object channel, byte[] packet);

    void readFailed(Object channel, Throwable thrown);

    void attentionSent(Object channel);

    void tlsStarting(Object channel, boolean strict);

    void tlsFinished(Object channel, Throwable thrown);

    void clientError(Object channel, String message, Throwable cause);

    void close(Object channel);
  }

  private static volatile Handler handler;

  private TdsBridge() {}

  /** Set by the agent as it activates. */
  public static void handler(Handler h) {
    handler = h;
  }

  public static Handler handler() {
    return handler;
  }

  // Each woven call lands in one of these. The driver must never see the agent fail, and the woven
  // code has no
  // handler of its own around the call: so each catches everything here. A value the driver's
  // method returns or
  // throws comes first (it is on the operand stack when the call is made).

  /**
   * mssql-jdbc {@code TDSChannel.open(host, port, ...)}: one connection attempt starts with its TCP
   * connect.
   */
  public static void open(Object channel, String host, int port) {
    try {
      Handler h = handler;
      if (h != null) {
        h.open(channel, host, port);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /** {@code open} returned: the connected address from mssql-jdbc 8.3 on, null before. */
  public static void openReturned(Object address, Object channel) {
    try {
      Handler h = handler;
      if (h != null) {
        h.opened(channel, address, null);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void openThrew(Throwable thrown, Object channel) {
    try {
      Handler h = handler;
      if (h != null) {
        h.opened(channel, null, thrown);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /** jTDS {@code SharedSocket(JtdsConnection)} entered. */
  public static void connecting() {
    try {
      Handler h = handler;
      if (h != null) {
        h.connecting();
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /** jTDS {@code SharedSocket(JtdsConnection)} returned: the socket is connected. */
  public static void connected(
      Object channel, Object connection, String host, int port, Socket socket) {
    try {
      Handler h = handler;
      if (h != null) {
        h.connected(channel, host, port, socket, connection);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /** mssql-jdbc {@code TDSChannel.write(byte[], int, int)}. */
  public static void write(Object channel, byte[] data, int offset, int length) {
    try {
      Handler h = handler;
      if (h != null) {
        h.write(channel, data, offset, length);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /** mssql-jdbc {@code TDSChannel.read(byte[], int, int)} returned {@code count}. */
  public static void readReturned(int count, Object channel, byte[] data, int offset) {
    try {
      Handler h = handler;
      if (h != null) {
        h.read(channel, data, offset, count);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /** jTDS {@code SharedSocket.sendNetPacket(VirtualSocket, byte[])}: one whole packet. */
  public static void writePacket(Object channel, byte[] packet) {
    try {
      Handler h = handler;
      if (h != null) {
        h.writePacket(channel, packet);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /** jTDS {@code SharedSocket.readPacket(byte[])} returned one whole packet. */
  public static void readPacketReturned(byte[] packet, Object channel) {
    try {
      Handler h = handler;
      if (h != null) {
        h.readPacket(channel, packet);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /**
   * jTDS turns the end of the stream into "DB server closed connection." and lets a reset through.
   */
  public static void readPacketThrew(Throwable thrown, Object channel) {
    try {
      Handler h = handler;
      if (h != null) {
        h.readFailed(channel, thrown);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /**
   * jTDS {@code cancel()} writes an 8-byte ATTENTION straight to the socket, bypassing
   * sendNetPacket.
   */
  public static void cancelReturned(boolean sent, Object channel) {
    try {
      Handler h = handler;
      if (h != null && sent) {
        h.attentionSent(channel);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /**
   * mssql-jdbc {@code enableSSL(...)} (the TDS 8 strict flag is its last parameter from 11.1.2 on)
   * or jTDS {@code enableEncryption(String)} (never strict).
   */
  public static void tlsStarting(Object channel, boolean strict) {
    try {
      Handler h = handler;
      if (h != null) {
        h.tlsStarting(channel, strict);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void tlsStarting(Object channel) {
    tlsStarting(channel, false);
  }

  public static void tlsReturned(Object channel) {
    try {
      Handler h = handler;
      if (h != null) {
        h.tlsFinished(channel, null);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void tlsThrew(Throwable thrown, Object channel) {
    try {
      Handler h = handler;
      if (h != null) {
        h.tlsFinished(channel, thrown);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /**
   * mssql-jdbc {@code SQLServerConnection.terminate(int, String, Throwable)}, with its {@code
   * tdsChannel}.
   */
  public static void terminate(Object channel, String message, Throwable cause) {
    try {
      Handler h = handler;
      if (h != null && channel != null) {
        h.clientError(channel, message, cause);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /**
   * mssql-jdbc {@code connectHelper(...)} threw: client-side failures that do not pass through
   * terminate (e.g. Kerberos: no service ticket for the SPN) are thrown from here, before the
   * driver closes the channel.
   */
  public static void connectHelperThrew(Throwable thrown, Object channel) {
    try {
      Handler h = handler;
      if (h != null && channel != null && thrown != null) {
        h.clientError(
            channel, thrown.getMessage(), thrown.getCause() != null ? thrown.getCause() : thrown);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /**
   * mssql-jdbc {@code TDSChannel.close()}, jTDS {@code close()}/{@code forceClose()}: the end of
   * the attempt.
   */
  public static void close(Object channel) {
    try {
      Handler h = handler;
      if (h != null) {
        h.close(channel);
      }
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }
}
