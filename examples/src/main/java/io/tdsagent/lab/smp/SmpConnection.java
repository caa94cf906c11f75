package io.tdsagent.lab.smp;

import io.tdsagent.lab.transport.Transport;
import io.tdsagent.lab.wire.TdsProtocolException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server end of an SMP (MARS, MC-SMP) connection: reads every packet on the connection's
 * thread, keeps one {@link SmpSession} per SID opened by the client's SYN, and runs each session's
 * TDS requests on a thread of its own through the {@link Handler}, so sessions interleave. Writes
 * from all sessions share the transport under one lock, one SMP packet at a time, each flushed at
 * once.
 *
 * <p>Strict about the client: DATA out of sequence, beyond the window the server granted, for an
 * SID without a SYN, or a SYN for an open SID end the connection (logged at WARNING), as a protocol
 * error would on SQL Server.
 */
public final class SmpConnection {
  private static final Logger LOG = Logger.getLogger("io.tdsagent.lab");

  /**
   * Runs one session's TDS requests over its transport; returns when the client is done with it.
   */
  public interface Handler {
    void serve(SmpSession session) throws IOException;
  }

  private final Transport transport;
  private final Handler handler;
  private final String name;
  private final long maxPacket;
  private final Duration windowHold;
  private final Runnable abortConnection;
  private final AtomicLong opened;
  private final Object writeLock = new Object();
  private final Map<Integer, SmpSession> sessions = new ConcurrentHashMap<>();
  private final byte[] out = new byte[SmpHeader.SIZE];
  private volatile boolean closed;

  /**
   * @param transport the connection's bytes after login (plain or TLS)
   * @param maxTdsPacket the negotiated TDS packet size: a DATA packet may carry at most this plus
   *     some slack
   * @param windowHold how long to hold back each ACK that reopens a client's send window (zero:
   *     none)
   * @param abortConnection drops the whole connection (a session hit a TDS protocol error)
   * @param opened counts sessions opened
   */
  public SmpConnection(
      Transport transport,
      Handler handler,
      String name,
      int maxTdsPacket,
      Duration windowHold,
      Runnable abortConnection,
      AtomicLong opened) {
    this.transport = transport;
    this.handler = handler;
    this.name = name;
    this.maxPacket = SmpHeader.SIZE + Math.max(maxTdsPacket, 32768) * 2L;
    this.windowHold = windowHold == null ? Duration.ZERO : windowHold;
    this.abortConnection = abortConnection;
    this.opened = opened;
  }

  /** Reads until the client closes the connection (returns) or breaks the protocol (throws). */
  public void run() throws IOException {
    byte[] h = new byte[SmpHeader.SIZE];
    try {
      while (transport.readFully(h, 0, SmpHeader.SIZE)) {
        SmpHeader header = SmpHeader.parse(h, maxPacket);
        dispatch(header);
      }
    } finally {
      closed = true;
      for (SmpSession s : sessions.values()) {
        s.connectionClosed();
      }
    }
  }

  private void dispatch(SmpHeader h) throws IOException {
    SmpSession s = sessions.get(h.sid);
    switch (h.flags) {
      case SmpHeader.SYN:
        if (s != null) {
          throw new TdsProtocolException("SMP: SYN for SID " + h.sid + ", which is open");
        }
        start(new SmpSession(this, h.sid, h.wndw));
        return;
      case SmpHeader.DATA:
        {
          byte[] payload = new byte[(int) (h.length - SmpHeader.SIZE)];
          if (!transport.readFully(payload, 0, payload.length)) {
            throw new java.io.EOFException("connection closed inside an SMP DATA packet");
          }
          if (s == null) {
            throw new TdsProtocolException("SMP: DATA for SID " + h.sid + " without a SYN");
          }
          s.received(h, payload);
          return;
        }
      case SmpHeader.ACK:
        if (s == null) {
          throw new TdsProtocolException("SMP: ACK for SID " + h.sid + " without a SYN");
        }
        s.peerWindow(h.wndw);
        return;
      case SmpHeader.FIN:
        if (s == null) {
          throw new TdsProtocolException("SMP: FIN for SID " + h.sid + " without a SYN");
        }
        if (s.finReceived(h.wndw)) {
          sessions.remove(h.sid, s);
        }
        return;
      default:
        throw new TdsProtocolException("SMP: " + h);
    }
  }

  private void start(SmpSession s) {
    sessions.put(s.sid(), s);
    opened.incrementAndGet();
    Thread t = new Thread(() -> serve(s), name + "-sid-" + s.sid());
    t.setDaemon(true);
    t.start();
  }

  private void serve(SmpSession s) {
    try {
      handler.serve(s);
    } catch (TdsProtocolException e) {
      LOG.log(
          Level.WARNING,
          name + " SID " + s.sid() + ": " + e.getMessage() + "; dropping the connection");
      abortConnection.run();
    } catch (IOException e) {
      LOG.log(Level.FINE, name + " SID " + s.sid() + " ends: " + e);
    } catch (RuntimeException
        | Error e) { // e.g. a handler's StackOverflowError: the client must not hang
      LOG.log(Level.WARNING, name + " SID " + s.sid() + ": unexpected failure", e);
      abortConnection.run();
    } finally {
      try {
        s.finish();
      } catch (IOException e) {
        LOG.log(Level.FINE, name + " SID " + s.sid() + ": FIN not sent: " + e);
      }
    }
  }

  void forget(SmpSession s) {
    sessions.remove(s.sid(), s);
  }

  Duration windowHold() {
    return windowHold;
  }

  /** Sends one SMP packet and flushes it. */
  void send(int flags, int sid, long seq, long wndw, byte[] data, int off, int len)
      throws IOException {
    synchronized (writeLock) {
      if (closed) {
        throw new java.io.EOFException("connection closed");
      }
      SmpHeader.encode(out, flags, sid, SmpHeader.SIZE + (long) len, seq, wndw);
      transport.write(out, 0, SmpHeader.SIZE);
      if (len > 0) {
        transport.write(data, off, len);
      }
      transport.flush();
    }
  }

  /** Sessions open now (SYN seen, not yet closed both ways). */
  public int openSessions() {
    return sessions.size();
  }
}
