package io.tdsagent.agent.tap;

import io.tdsagent.agent.config.AgentConfig;
import io.tdsagent.agent.config.CaptureSwitch;
import io.tdsagent.agent.config.RequestBudget;
import io.tdsagent.agent.export.SpanPipeline;
import io.tdsagent.agent.pcap.ConnectionRecorder;
import io.tdsagent.agent.pcap.PcapExport;
import io.tdsagent.agent.time.Clock;
import io.tdsagent.tds.conversation.ConnectionDecoder;
import io.tdsagent.trace.ConnectionTracer;
import io.tdsagent.trace.LoginAttempts;
import io.tdsagent.trace.LoginTraceBuilder;
import io.tdsagent.trace.ParallelConnect;
import io.tdsagent.trace.SpanPlan;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One driver channel (one connection attempt) as the agent sees it: the decoder's conversation and
 * the login trace being built. {@link Taps} keeps it by the channel and calls the static methods
 * below, which never throw: a failure here detaches the tap and the driver goes on untouched.
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

  /**
   * Capture was switched off: the channel stays known (its tracer keeps what the connection told)
   * but nothing is decoded until capture is on again, when a new tap carries on from a message
   * boundary. Guarded by this.
   */
  private boolean paused;

  /** The application's current span, as the driver's class loader sees it (for a resumed tap). */
  private final Supplier<SpanPlan.RemoteParent> appContext;

  private ChannelTap(ConnectionTracer tracer, Supplier<SpanPlan.RemoteParent> appContext) {
    this.tracer = tracer.driverInternal(DriverCalls::internal);
    this.appContext = appContext;
    this.login = tracer.login();
    this.conversation = new ConnectionDecoder(tracer);
    this.pcap = PcapExport.recorder();
  }

  /**
   * Plans go to the export pipeline, held first while a driver call runs on the thread ({@link
   * DriverCalls}).
   */
  private static java.util.function.Consumer<SpanPlan> sink() {
    return DriverCalls.holding(SpanPipeline.get()::submit);
  }

  /**
   * The driver call using this channel threw; true when a request was in flight (its span will say
   * so).
   */
  static boolean applicationFailed(ChannelTap self, io.tdsagent.trace.AppOutcome outcome) {
    try {
      synchronized (self) {
        return !self.paused && self.tracer.applicationFailed(outcome);
      }
    } catch (Throwable t) {
      fail(t);
      return false;
    }
  }

  // ---- entry points for the advice; each returns the tap to keep, or null to detach ----

  public static Object open(Object channel, String host, int port) {
    long now = Clock.now();
    LoginAttempts.Attempt attempt = null;
    try {
      attempt = ConnectRequests.nextAttempt(now);
    } catch (Throwable t) {
      fail(t); // not numbered; the attempt is still traced
    }
    ChannelTap tap = start(channel, host, port, now, attempt);
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
    return start(channel, host, port, startNanos, null);
  }

  private static ChannelTap start(
      Object channel, String host, int port, long startNanos, LoginAttempts.Attempt attempt) {
    long t0 = SelfTime.start();
    try {
      if (!CaptureSwitch.isOn()) {
        return null;
      }
      SpanPipeline.get().warmUp();
      Supplier<SpanPlan.RemoteParent> app = appContext(channel);
      return new ChannelTap(
          ConnectionTracer.fromConnect(
                  host,
                  port,
                  startNanos,
                  AgentConfig.rawSql(),
                  sink(),
                  app,
                  RequestBudget.global(),
                  attempt)
              .withCloseSpan(),
          app);
    } catch (Throwable t) {
      fail(t);
      return null;
    } finally {
      SelfTime.end(t0);
    }
  }

  /** A driver whose connect is seen only once done (jTDS opens its socket in a constructor). */
  public static Object connected(
      Object channel, String host, int port, long startNanos, Socket socket) {
    return connected(channel, host, port, startNanos, socket, null);
  }

  /**
   * {@code connection}: the driver's connection object, whose settings hold the login timeout
   * (jTDS).
   */
  public static Object connected(
      Object channel, String host, int port, long startNanos, Socket socket, Object connection) {
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

  /**
   * A driver that learns its peer once connected (r2dbc-mssql: the Netty channel's remote address).
   */
  public static Object connected(
      Object channel, String host, int port, long startNanos, SocketAddress remote) {
    return connected(channel, host, port, startNanos, remote, DriverLoginTimeout.UNKNOWN);
  }

  /**
   * The same, with the driver's timeout for this attempt ({@code timeoutMillis}, negative:
   * unknown).
   */
  public static Object connected(
      Object channel,
      String host,
      int port,
      long startNanos,
      SocketAddress remote,
      long timeoutMillis) {
    ChannelTap tap = start(channel, host, port, startNanos);
    if (tap == null) {
      return null;
    }
    timeout(tap, timeoutMillis);
    return opened(tap, remote, null);
  }

  /**
   * A driver whose failed connect is seen only as its error (r2dbc-mssql: the connect's Mono
   * failed): the attempt's login span, from {@code startNanos} to now, ended by that error. Never
   * throws.
   */
  public static void connectFailed(
      Object driverObject,
      String host,
      int port,
      long startNanos,
      long timeoutMillis,
      Throwable error) {
    try {
      ChannelTap tap = start(driverObject, host, port, startNanos);
      if (tap != null) {
        timeout(tap, timeoutMillis);
        opened(tap, null, error);
      }
    } catch (Throwable t) {
      fail(t);
    }
  }

  private static void timeout(ChannelTap tap, long millis) {
    if (millis > 0) {
      synchronized (tap) {
        tap.login.loginTimeout(millis);
      }
    }
  }

  /**
   * mssql-jdbc: {@code open} returned {@code address}, or nothing before 8.3 (then the socket
   * tells).
   */
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
        InetSocketAddress a =
            address instanceof InetSocketAddress ? (InetSocketAddress) address : null;
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

  /** The one address the channel's connect goes to, before it connects or fails. */
  static void connectAddress(ChannelTap self, InetSocketAddress address) {
    try {
      synchronized (self) {
        self.login.connectingTo(address);
      }
    } catch (Throwable t) {
      fail(t);
    }
  }

  /** One socket of a connect raced over several addresses ended (on the driver's pool thread). */
  static void parallelConnect(ChannelTap self, ParallelConnect socket) {
    try {
      synchronized (self) {
        self.login.parallelConnect(socket);
      }
    } catch (Throwable t) {
      fail(t);
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
        self.login.tlsFinished(
            now,
            thrown,
            info == null ? null : info.protocolVersion(),
            info == null ? null : info.cipher,
            info == null ? null : info.certificate);
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
        if (self.paused) {
          return self;
        }
        DriverCalls.touched(self);
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
      ChannelTap next;
      synchronized (self) {
        boolean on = CaptureSwitch.isOn();
        if (!self.paused) {
          if (!on) {
            // A write starts a client packet: the message boundary at which capture stops.
            self.pause();
            return self;
          }
          return self.client(data, offset, length);
        }
        if (!on) {
          return self;
        }
        // Capture is on again: a new tap for the same connection, from this client packet on.
        next =
            new ChannelTap(
                self.tracer.resumed(Clock.now(), sink(), self.appContext).withCloseSpan(),
                self.appContext);
      }
      synchronized (next) {
        return next.client(data, offset, length);
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
   * The driver's read failed: an end of stream or a reset from the server, else a failure of the
   * client's own.
   */
  public static void readFailed(Object tap, Throwable thrown) {
    ChannelTap self = (ChannelTap) tap;
    long t0 = SelfTime.start();
    try {
      synchronized (self) {
        self.tracer.readFailed(Clock.now(), thrown);
      }
    } catch (Throwable t) {
      fail(t);
    } finally {
      SelfTime.end(t0);
    }
  }

  /**
   * The driver is failing this channel's connection for a reason of its own (seen before it closes
   * the channel).
   */
  public static void clientError(Object tap, String message, Throwable cause) {
    ChannelTap self = (ChannelTap) tap;
    long t0 = SelfTime.start();
    try {
      synchronized (self) {
        self.tracer.clientError(Clock.now(), message, cause);
      }
    } catch (Throwable t) {
      fail(t);
    } finally {
      SelfTime.end(t0);
    }
  }

  /** The agent is detaching: what this channel saw is reported, as when capture is switched off. */
  static void stopCapture(ChannelTap self) {
    try {
      synchronized (self) {
        if (!self.paused) {
          self.pause();
        }
      }
    } catch (Throwable t) {
      fail(t);
    }
  }

  private void pause() {
    paused = true;
    login.captureStopped(Clock.now());
    if (pcap != null) {
      pcap.abandon();
    }
  }

  /** A client packet, under this tap's lock. */
  private Object client(byte[] data, int offset, int length) {
    DriverCalls.touched(this);
    if (pcap != null) {
      pcap.client(data, offset, length);
    }
    conversation.onClientBytes(data, offset, length, Clock.now());
    return conversation.isStopped() ? stop() : this;
  }

  /** A cancel written past the tapped path (jTDS): the same 8-byte ATTENTION the wire carried. */
  public static Object attentionSent(Object tap) {
    return write(tap, ATTENTION, 0, ATTENTION.length);
  }

  private static final byte[] ATTENTION = {0x06, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00};

  static int packetLength(byte[] packet) {
    if (packet == null || packet.length < 8) {
      return 0;
    }
    return Math.min(packet.length, ((packet[2] & 0xFF) << 8) | (packet[3] & 0xFF));
  }

  /** Capture came on while this channel was open: start at this packet, mid-session. */
  public static Object attachLate(Object channel, byte[] data, int offset, int length) {
    try {
      InetSocketAddress peer = SocketPeer.remote(channel);
      Supplier<SpanPlan.RemoteParent> app = appContext(channel);
      ChannelTap self =
          new ChannelTap(
              ConnectionTracer.midSession(
                      peer == null ? null : peer.getHostString(),
                      peer == null ? 0 : peer.getPort(),
                      Clock.now(),
                      AgentConfig.rawSql(),
                      sink(),
                      app,
                      RequestBudget.global())
                  .withCloseSpan(),
              app);
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
        if (self.paused) {
          return; // what it saw was reported when capture went off
        }
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
   * Loads and runs the decoder's packet and PRELOGIN path once on a made-up PRELOGIN, off the
   * driver's thread, so the first real login does not pay for loading them. Nothing is exported.
   */
  public static void warmUp() {
    byte[] prelogin = {
      0x12,
      0x01,
      0x00,
      0x14,
      0x00,
      0x00,
      0x01,
      0x00,
      0x00,
      0x00,
      0x06,
      0x00,
      0x06,
      (byte) 0xFF,
      0x10,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00
    };
    ConnectionDecoder d = new ConnectionDecoder(event -> {});
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
      LOG.log(
          Level.WARNING,
          "tds-agent: internal error; this connection is no longer traced (said once)",
          t);
    }
    return null;
  }
}
