package io.tdsagent.agent.tap;

import io.tdsagent.agent.config.CaptureSwitch;
import java.net.Socket;
import java.util.List;

/**
 * What the advice calls, with the driver's channel object ({@code TDSChannel}, jTDS's {@code
 * SharedSocket}): each channel's {@link ChannelTap} is kept here, by the channel's identity, not in
 * a field of the driver's class. So the same advice serves a class transformed as it is defined and
 * one retransformed after an attach (which cannot add fields), and a detach leaves nothing behind
 * in the driver's objects. None of these methods throws.
 */
public final class Taps {
  private static final WeakIdentityTable<ChannelTap> TAPS = new WeakIdentityTable<>();

  /**
   * False once the agent is detached: advice still running in a method's old code then does
   * nothing.
   */
  private static volatile boolean enabled = true;

  private static volatile boolean everDisabled;

  /**
   * Message boundaries seen by advice while disabled: after a detach, zero shows the advice is
   * gone.
   */
  private static final java.util.concurrent.atomic.AtomicLong callsWhileDisabled =
      new java.util.concurrent.atomic.AtomicLong();

  private Taps() {}

  /** The channel's tap, or null: no lock, no allocation. */
  static ChannelTap of(Object channel) {
    return TAPS.get(channel);
  }

  private static void keep(Object channel, ChannelTap before, Object after) {
    if (after != before) {
      TAPS.put(channel, (ChannelTap) after);
      if (!enabled) { // a detach cleared the table meanwhile
        TAPS.put(channel, null);
      }
    }
  }

  // ---- connection start ----

  /**
   * The application asked the driver for a connection ({@code nanos}: then); true when this began
   * the request.
   */
  public static boolean connectStarting(long nanos) {
    try {
      return enabled && ConnectRequests.begin(nanos);
    } catch (Throwable t) {
      return false;
    }
  }

  /** The request for a connection ended (connected or failed): its attempts are forgotten. */
  public static void connectEnded(boolean began) {
    if (began) {
      ConnectRequests.end();
    }
  }

  public static void open(Object channel, String host, int port) {
    if (enabled) {
      keep(channel, of(channel), ChannelTap.open(channel, host, port));
    } else {
      callsWhileDisabled.incrementAndGet();
    }
  }

  public static void opened(Object channel, Object address, Throwable thrown) {
    ChannelTap tap = of(channel);
    if (tap != null) {
      keep(channel, tap, ChannelTap.opened(tap, channel, address, thrown));
    }
  }

  /**
   * {@code connection}: the driver's connection object, whose settings hold the login timeout
   * (jTDS).
   */
  public static void connected(
      Object channel, String host, int port, long startNanos, Socket socket, Object connection) {
    if (enabled) {
      keep(
          channel,
          of(channel),
          ChannelTap.connected(channel, host, port, startNanos, socket, connection));
    } else {
      callsWhileDisabled.incrementAndGet();
    }
  }

  /**
   * One raced address's connect ended with {@code error} (null: connected), on the driver's pool
   * thread.
   */
  public static void parallelConnectOutcome(Throwable error) {
    if (enabled) {
      RaceSockets.outcome(error);
    }
  }

  /** The driver's thread is about to connect to this one address (mssql-jdbc's SocketFinder). */
  public static void connectAddress(Object finder, Object address) {
    if (!enabled) {
      return;
    }
    try {
      RaceSockets.tried(finder, address);
    } catch (Throwable t) {
      // the address is left out of the trace
    }
  }

  /** The pool thread that connected one raced address is done with it. */
  public static void parallelConnectEnded(
      Object finder, Object address, Object socket, long startNanos) {
    if (!enabled) {
      return;
    }
    try {
      RaceSockets.ended(finder, address, socket, startNanos);
    } catch (Throwable t) {
      // the socket is left out of the trace; the driver goes on untouched
    }
  }

  // ---- bytes ----

  /**
   * A client packet starts: a message boundary, where capture switched on picks an open channel up.
   */
  public static void write(Object channel, byte[] data, int offset, int length) {
    ChannelTap tap = of(channel);
    if (tap != null) {
      keep(channel, tap, ChannelTap.write(tap, data, offset, length));
    } else if (!enabled) {
      callsWhileDisabled.incrementAndGet();
    } else if (CaptureSwitch.isOn()) {
      keep(channel, null, ChannelTap.attachLate(channel, data, offset, length));
    }
  }

  /**
   * {@code count} as the driver's read returned it: -1 is the end of the stream, the server closed
   * first.
   */
  public static void read(Object channel, byte[] data, int offset, int count) {
    ChannelTap tap = of(channel);
    if (tap != null && count > 0) {
      keep(channel, tap, ChannelTap.read(tap, data, offset, count));
    } else if (tap != null && count < 0) {
      ChannelTap.serverClosed(tap);
    }
  }

  /**
   * A driver's read failed (jTDS): the end of the stream (the server closed first) or a reset, said
   * as the driver says them; whatever the cause, jTDS gives the connection up, so the tap ends with
   * it.
   */
  public static void readFailed(Object channel, Throwable thrown) {
    ChannelTap tap = of(channel);
    if (tap == null || thrown == null) {
      return;
    }
    if (io.tdsagent.trace.ConnectionTracer.isReset(thrown)) {
      ChannelTap.clientError(tap, thrown.getMessage(), thrown);
    } else if (thrown instanceof java.io.EOFException || JTDS_EOF.equals(thrown.getMessage())) {
      ChannelTap.serverClosed(tap);
    }
    // jTDS gives the connection up after a failed read: what was in flight ends here, as at a close
    ChannelTap.readFailed(tap, thrown);
    close(channel);
  }

  /** jTDS's message for the end of the stream (SharedSocket.readPacket). */
  private static final String JTDS_EOF = "DB server closed connection.";

  /** A driver that hands over whole TDS packets (jTDS). */
  public static void writePacket(Object channel, byte[] packet) {
    write(channel, packet, 0, ChannelTap.packetLength(packet));
  }

  public static void readPacket(Object channel, byte[] packet) {
    if (packet != null) {
      read(channel, packet, 0, ChannelTap.packetLength(packet));
    }
  }

  public static void attentionSent(Object channel) {
    ChannelTap tap = of(channel);
    if (tap != null) {
      keep(channel, tap, ChannelTap.attentionSent(tap));
    }
  }

  // ---- TLS, errors, end ----

  public static void tlsStarting(Object channel, boolean strict) {
    ChannelTap tap = of(channel);
    if (tap != null) {
      ChannelTap.tlsStarting(tap, strict);
    }
  }

  public static void tlsFinished(Object channel, Throwable thrown) {
    ChannelTap tap = of(channel);
    if (tap != null) {
      ChannelTap.tlsFinished(tap, channel, thrown);
    }
  }

  /** The driver fails the channel's connection for a reason of its own, before closing it. */
  public static void clientError(Object channel, String message, Throwable cause) {
    ChannelTap tap = of(channel);
    if (tap != null) {
      ChannelTap.clientError(tap, message, cause);
    }
  }

  public static void close(Object channel) {
    ChannelTap tap = of(channel);
    if (tap != null) {
      TAPS.put(channel, null);
      ChannelTap.close(tap);
    }
  }

  // ---- the agent's life ----

  /** Channels traced now. */
  public static int traced() {
    return TAPS.size();
  }

  /** Attached (again): advice starts taps. */
  public static void enable() {
    enabled = true;
    callsWhileDisabled.set(0);
  }

  public static boolean everDisabled() {
    return everDisabled;
  }

  public static long callsWhileDisabled() {
    return callsWhileDisabled.get();
  }

  /**
   * Detaching: no new taps; each channel traced now reports what it saw (as when capture is
   * switched off) and is forgotten. Advice still running in old code finds no tap and does nothing.
   */
  public static void disable() {
    enabled = false;
    everDisabled = true;
    List<ChannelTap> left = TAPS.clear();
    for (ChannelTap tap : left) {
      ChannelTap.stopCapture(tap);
    }
  }
}
