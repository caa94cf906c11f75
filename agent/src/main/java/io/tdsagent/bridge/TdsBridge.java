package io.tdsagent.bridge;

import java.net.Socket;

/**
 * What the JDBC drivers' advice calls. The agent puts this class (and {@link Handler}, nothing else) on the
 * bootstrap class path, which every class loader sees: a driver in a loader that cannot see the agent's classes (an
 * application server's web-app or module loader, whose parent is the platform loader) reaches the agent through
 * here. The agent sets the handler once it is active; until then, and if it is never set, every call does nothing.
 *
 * <p>JDK types only, no state but the handler: the class cannot be unloaded or replaced once on the bootstrap path.
 */
public final class TdsBridge {
  /** The agent's side of the hand-over (see {@code io.tdsagent.agent.tap.Taps}); none of these may throw. */
  public interface Handler {
    void open(Object channel, String host, int port);

    void opened(Object channel, Object address, Throwable thrown);

    void connected(Object channel, String host, int port, long startNanos, Socket socket, Object connection);

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

  public static void open(Object channel, String host, int port) {
    Handler h = handler;
    if (h != null) {
      h.open(channel, host, port);
    }
  }

  public static void opened(Object channel, Object address, Throwable thrown) {
    Handler h = handler;
    if (h != null) {
      h.opened(channel, address, thrown);
    }
  }

  public static void connected(Object channel, String host, int port, long startNanos, Socket socket,
      Object connection) {
    Handler h = handler;
    if (h != null) {
      h.connected(channel, host, port, startNanos, socket, connection);
    }
  }

  public static void write(Object channel, byte[] data, int offset, int length) {
    Handler h = handler;
    if (h != null) {
      h.write(channel, data, offset, length);
    }
  }

  public static void read(Object channel, byte[] data, int offset, int count) {
    Handler h = handler;
    if (h != null) {
      h.read(channel, data, offset, count);
    }
  }

  public static void writePacket(Object channel, byte[] packet) {
    Handler h = handler;
    if (h != null) {
      h.writePacket(channel, packet);
    }
  }

  public static void readPacket(Object channel, byte[] packet) {
    Handler h = handler;
    if (h != null) {
      h.readPacket(channel, packet);
    }
  }

  public static void readFailed(Object channel, Throwable thrown) {
    Handler h = handler;
    if (h != null) {
      h.readFailed(channel, thrown);
    }
  }

  public static void attentionSent(Object channel) {
    Handler h = handler;
    if (h != null) {
      h.attentionSent(channel);
    }
  }

  /** mssql-jdbc's {@code enableSSL(...)} arguments: the TDS 8 (strict) flag is the last one from 11.1.2 on. */
  public static void tlsStarting(Object channel, Object[] enableSslArgs) {
    Handler h = handler;
    if (h != null) {
      int n = enableSslArgs.length;
      h.tlsStarting(channel, n >= 6 && Boolean.TRUE.equals(enableSslArgs[n - 1]));
    }
  }

  public static void tlsStarting(Object channel, boolean strict) {
    Handler h = handler;
    if (h != null) {
      h.tlsStarting(channel, strict);
    }
  }

  public static void tlsFinished(Object channel, Throwable thrown) {
    Handler h = handler;
    if (h != null) {
      h.tlsFinished(channel, thrown);
    }
  }

  public static void clientError(Object channel, String message, Throwable cause) {
    Handler h = handler;
    if (h != null) {
      h.clientError(channel, message, cause);
    }
  }

  public static void close(Object channel) {
    Handler h = handler;
    if (h != null) {
      h.close(channel);
    }
  }
}
