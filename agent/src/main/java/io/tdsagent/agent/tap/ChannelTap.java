package io.tdsagent.agent.tap;

import io.tdsagent.agent.config.CaptureSwitch;
import io.tdsagent.agent.export.SpanPipeline;
import io.tdsagent.agent.config.AgentConfig;
import io.tdsagent.agent.config.RequestBudget;
import io.tdsagent.agent.pcap.ConnectionRecorder;
import io.tdsagent.agent.pcap.PcapExport;
import io.tdsagent.trace.ConnectionTracer;
import io.tdsagent.trace.LoginTraceBuilder;
import io.tdsagent.trace.SpanPlan;
import java.util.function.Supplier;
import io.tdsagent.tds.conversation.ConnectionDecoder;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One driver channel (one connection attempt) as the agent sees it: the decoder's conversation
 * and the login trace being built. The advice classes hold it in a field of the channel and call
 * the static methods below, which never throw: a failure here detaches the tap and the driver
 * goes on untouched.
 *
 * <p>Reads and writes can come from two threads (a cancel's attention packet is written while
 * another thread reads), so every entry point locks the tap; uncontended, that is cheap.
 */
public final class ChannelTap {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");
  private static volatile boolean failureLogged;

  private final ConnectionTracer tracer;
  private final LoginTraceBuilder login;
  private final ConnectionDecoder conversation;
  /** {@code tds.pcap}: this connection's part of the capture file; null when none is written. */
  private final ConnectionRecorder pcap;

  private ChannelTap(ConnectionTracer tracer) {
    this.tracer = tracer;
    this.login = tracer.login();
    this.conversation = new ConnectionDecoder(tracer);
    this.pcap = PcapExport.recorder();
  }

  // ---- entry points for the advice; each returns the tap to keep, or null to detach ----

  public static Object open(Object channel, String host, int port) {
    ChannelTap tap = start(channel, host, port, Clock.now());
    if (tap != null) {
      long t0 = SelfTime.start();
      try {
        tap.login.loginTimeout(DriverLoginTimeout.millis(channel));
      } catch (Throwable t) {
        fail(t); // the timeout is left out; the connection is still traced
      } finally {
        SelfTime.end(t0);
      }
    }
    return tap;
  }

  private static ChannelTap start(Object channel, String host, int port, long startNanos) {
    long t0 = SelfTime.start();
    try {
      if (!CaptureSwitch.isOn()) {
        return null;
      }
      SpanPipeline.get().warmUp();
      return new ChannelTap(ConnectionTracer.fromConnect(host, port, startNanos, AgentConfig.rawSql(),
          SpanPipeline.get()::submit, appContext(channel), RequestBudget.global()));
    } catch (Throwable t) {
      fail(t);
      return null;
    } finally {
      SelfTime.end(t0);
    }
  }

  /** A driver whose connect is seen only once done (jTDS opens its socket in a constructor). */
  public static Object connected(Object channel, String host, int port, long startNanos, Socket socket) {
    return connected(channel, host, port, startNanos, socket, null);
  }

  /** {@code connection}: the driver's connection object, whose settings hold the login timeout (jTDS). */
  public static Object connected(Object channel, String host, int port, long startNanos, Socket socket,
      Object connection) {
    ChannelTap tap = start(channel, host, port, startNanos);
    if (tap == null) {
      return null;
    }
    if (connection != null) {
      try {
        tap.login.loginTimeout(DriverLoginTimeout.jtdsMillis(connection));
      } catch (Throwable t) {
        fail(t); // the timeout is left out; the connection is still traced
      }
    }
    SocketAddress remote = socket == null ? null : socket.getRemoteSocketAddress();
    return opened(tap, remote, null);
  }

  /** mssql-jdbc: {@code open} returned {@code address}, or nothing before 8.3 (then the socket tells). */
  public static Object opened(Object tap, Object channel, Object address, Throwable thrown) {
    if (address == null && thrown == null && channel != null) {
      address = SocketPeer.remote(channel);
    }
    return opened(tap, address, thrown);
  }

  public static Object opened(Object tap, Object address, Throwable thrown) {
    ChannelTap self = (ChannelTap) tap;
    long t0 = SelfTime.start();
    try {
      synchronized (self) {
        InetSocketAddress a = address instanceof InetSocketAddress ? (InetSocketAddress) address : null;
        // (jTDS: the socket's remote address; mssql-jdbc: what open() returned)
        self.login.tcpConnected(Clock.now(), a, thrown);
        if (self.pcap != null) {
          if (thrown == null) {
            self.pcap.opened(a);
          } else {
            self.pcap.abandon();
          }
        }
        return thrown == null ? self : null;
      }
    } catch (Throwable t) {
      return fail(t);
    } finally {
      SelfTime.end(t0);
    }
  }

  public static void tlsStarting(Object tap, boolean strict) {
    ChannelTap self = (ChannelTap) tap;
    long t0 = SelfTime.start();
    try {
      synchronized (self) {
        self.login.tlsStarted(Clock.now(), strict);
      }
    } catch (Throwable t) {
      fail(t);
    } finally {
      SelfTime.end(t0);
    }
  }

  public static void tlsFinished(Object tap, Object channel, Throwable thrown) {
    ChannelTap self = (ChannelTap) tap;
    long t0 = SelfTime.start();
    try {
      long now = Clock.now();
      TlsSessionInfo info = thrown == null ? TlsSessionInfo.of(channel) : null;
      synchronized (self) {
        self.login.tlsFinished(now, thrown, info == null ? null : info.protocolVersion(),
            info == null ? null : info.cipher, info == null ? null : info.certificate);
      }
    } catch (Throwable t) {
      fail(t);
    } finally {
      SelfTime.end(t0);
    }
  }

  public static Object read(Object tap, byte[] data, int offset, int count) {
    ChannelTap self = (ChannelTap) tap;
    long t0 = SelfTime.start();
    try {
      synchronized (self) {
        if (self.pcap != null) {
          self.pcap.server(data, offset, count);
        }
        self.conversation.onServerBytes(data, offset, count, Clock.now());
        return self.conversation.isStopped() ? self.stop() : self;
      }
    } catch (Throwable t) {
      return fail(t);
    } finally {
      SelfTime.end(t0);
    }
  }

  public static Object write(Object tap, byte[] data, int offset, int length) {
    ChannelTap self = (ChannelTap) tap;
    long t0 = SelfTime.start();
    try {
      synchronized (self) {
        if (!CaptureSwitch.isOn()) {
          // A write starts a client packet: the message boundary at which capture stops.
          self.login.captureStopped(Clock.now());
          if (self.pcap != null) {
            self.pcap.abandon();
          }
          return null;
        }
        if (self.pcap != null) {
          self.pcap.client(data, offset, length);
        }
        self.conversation.onClientBytes(data, offset, length, Clock.now());
        return self.conversation.isStopped() ? self.stop() : self;
      }
    } catch (Throwable t) {
      return fail(t);
    } finally {
      SelfTime.end(t0);
    }
  }

  /** The driver read the end of the stream: the server closed the connection (FIN) first. */
  public static void serverClosed(Object tap) {
    ChannelTap self = (ChannelTap) tap;
    long t0 = SelfTime.start();
    try {
      synchronized (self) {
        self.tracer.serverClosed(Clock.now());
      }
    } catch (Throwable t) {
      fail(t);
    } finally {
      SelfTime.end(t0);
    }
  }

  /**
   * The driver is failing this channel's connection for a reason of its own (seen before it
   * closes the channel). The channel's tap is read from the field the agent added to it.
   */
  public static void clientError(Object channel, String message, Throwable cause) {
    long t0 = SelfTime.start();
    try {
      Object tap = TapFieldReader.read(channel);
      if (tap instanceof ChannelTap) {
        ChannelTap self = (ChannelTap) tap;
        synchronized (self) {
          self.tracer.clientError(Clock.now(), message, cause);
        }
      }
    } catch (Throwable t) {
      fail(t);
    } finally {
      SelfTime.end(t0);
    }
  }

  /** A driver that hands over whole TDS packets (jTDS): the length is in the header. */
  public static Object writePacket(Object tap, byte[] packet) {
    return write(tap, packet, 0, packetLength(packet));
  }

  public static Object readPacket(Object tap, byte[] packet) {
    return read(tap, packet, 0, packetLength(packet));
  }

  public static Object attachLatePacket(Object channel, byte[] packet) {
    return attachLate(channel, packet, 0, packetLength(packet));
  }

  /** A cancel written past the tapped path (jTDS): the same 8-byte ATTENTION the wire carried. */
  public static void attentionSent(Object tap) {
    write(tap, ATTENTION, 0, ATTENTION.length);
  }

  private static final byte[] ATTENTION = {0x06, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00};

  private static int packetLength(byte[] packet) {
    if (packet == null || packet.length < 8) {
      return 0;
    }
    return Math.min(packet.length, ((packet[2] & 0xFF) << 8) | (packet[3] & 0xFF));
  }

  /** Capture came on while this channel was open: start at this packet, mid-session. */
  public static Object attachLate(Object channel, byte[] data, int offset, int length) {
    try {
      ChannelTap self = new ChannelTap(ConnectionTracer.midSession(Clock.now(), AgentConfig.rawSql(),
          SpanPipeline.get()::submit, appContext(channel), RequestBudget.global()));
      return write(self, data, offset, length);
    } catch (Throwable t) {
      return fail(t);
    }
  }

  public static void close(Object tap) {
    ChannelTap self = (ChannelTap) tap;
    long t0 = SelfTime.start();
    try {
      synchronized (self) {
        long now = Clock.now();
        self.conversation.onClose(now);
        self.login.closed(now);
        self.tracer.closed(now);
        if (self.pcap != null) {
          self.pcap.closed();
        }
      }
    } catch (Throwable t) {
      fail(t);
    } finally {
      SelfTime.end(t0);
    }
  }

  /**
   * Loads and runs the decoder's packet and PRELOGIN path once on a made-up PRELOGIN, off the driver's
   * thread, so the first real login does not pay for loading them. Nothing is exported.
   */
  public static void warmUp() {
    byte[] prelogin = {0x12, 0x01, 0x00, 0x14, 0x00, 0x00, 0x01, 0x00,
        0x00, 0x00, 0x06, 0x00, 0x06, (byte) 0xFF, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00};
    ConnectionDecoder d = new ConnectionDecoder(event -> { });
    d.onClientBytes(prelogin, 0, prelogin.length, Clock.now());
    d.onClose(Clock.now());
  }

  /** The application's current span, read on whichever application thread asks. */
  private static Supplier<SpanPlan.RemoteParent> appContext(Object channel) {
    return AppSpanContext.reader(channel.getClass().getClassLoader());
  }

  /** The decoder gave up on this connection; what was learnt is still reported. */
  private Object stop() {
    login.closed(Clock.now());
    if (pcap != null) {
      pcap.abandon();
    }
    return null;
  }

  private static Object fail(Throwable t) {
    if (!failureLogged) {
      failureLogged = true;
      LOG.log(Level.WARNING, "tds-agent: internal error; this connection is no longer traced (said once)", t);
    }
    return null;
  }
}
