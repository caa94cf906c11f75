package io.tdsagent.smp;

import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.SmpSessionEvent;
import io.tdsagent.tds.event.SmpWindowStallEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TdsEventListener;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Both directions of an SMP connection: frames each, keeps per-SID session state (SYN, DATA...,
 * FIN), checks SEQNUM and WNDW (MC-SMP 3.1.5), spots window stalls, and hands each session's DATA
 * payload to the {@link SessionSink}. Emits {@link SmpSessionEvent}, {@link SmpWindowStallEvent}
 * and DecodeErrorEvents of layer "smp"; a protocol violation is reported and decoding goes on, a
 * framing error stops the direction.
 *
 * <p>Memory: at most {@code maxSessions} open sessions, each a few counters; packets for SIDs
 * beyond the cap are dropped (reported once per SID). Not thread-safe; never throws to the caller
 * for the peer's bytes.
 */
public final class SmpDemultiplexer {

  /** Where each session's TDS stream goes. */
  public interface SessionSink {
    void onSessionOpened(int sid, long timeNanos);

    /** DATA payload of a session; valid only during the call. */
    void onSessionData(int sid, Direction d, byte[] buf, int off, int len, long timeNanos);

    void onSessionClosed(int sid, long timeNanos);

    /**
     * Whether the session's TDS stream in direction d stopped inside a message (for stall
     * detection).
     */
    default boolean midMessage(int sid, Direction d) {
      return false;
    }
  }

  public static final int DEFAULT_MAX_SESSIONS = 64;

  /** Initial HighWaterForSend and HighWaterForRecv (MC-SMP 3.1.3.1). */
  static final long INITIAL_WINDOW = 4;

  private final TdsEventListener events;
  private final SessionSink sink;
  private final int maxSessions;
  private final boolean joinedMidStream;
  private final Map<Integer, Session> sessions = new HashMap<>();

  /** SIDs refused because of the cap, so the error is reported once each. */
  private final BitSet refused = new BitSet(65536);

  private final SmpFramer client;
  private final SmpFramer server;
  private boolean closed;

  /**
   * @param joinedMidStream decoding starts on an SMP connection already carrying sessions (a
   *     capture or an agent switched on late): packets of unknown SIDs open "joined" sessions
   *     silently
   */
  public SmpDemultiplexer(
      TdsEventListener events, SessionSink sink, int maxSessions, boolean joinedMidStream) {
    this.events = events;
    this.sink = sink;
    this.maxSessions = maxSessions;
    this.joinedMidStream = joinedMidStream;
    this.client = new SmpFramer(new Side(Direction.CLIENT_TO_SERVER));
    this.server = new SmpFramer(new Side(Direction.SERVER_TO_CLIENT));
  }

  public void onClientBytes(byte[] buf, int off, int len, long timeNanos) {
    if (!closed) {
      client.feed(buf, off, len, timeNanos);
    }
  }

  public void onServerBytes(byte[] buf, int off, int len, long timeNanos) {
    if (!closed) {
      server.feed(buf, off, len, timeNanos);
    }
  }

  /**
   * The transport closed: every open session ends (MC-SMP 3.1.2: sessions die with their
   * connection).
   */
  public void onClose(long timeNanos) {
    if (closed) {
      return;
    }
    closed = true;
    for (Session s : sessions.values().toArray(new Session[0])) {
      s.client.endStall(s, Direction.CLIENT_TO_SERVER, -1, timeNanos);
      s.server.endStall(s, Direction.SERVER_TO_CLIENT, -1, timeNanos);
      close(s, timeNanos);
    }
  }

  public int openSessions() {
    return sessions.size();
  }

  private void emit(TdsEvent e) {
    try {
      events.onEvent(e);
    } catch (RuntimeException ignored) {
      // a listener bug must not break decoding
    }
  }

  private void error(Direction d, String reason, long t) {
    emit(new DecodeErrorEvent(d, "smp", reason, t));
  }

  private Session open(int sid, long t, boolean joined) {
    if (sessions.size() >= maxSessions) {
      if (!refused.get(sid)) {
        refused.set(sid);
        error(
            null,
            "more than " + maxSessions + " SMP sessions open: SID " + sid + " not decoded",
            t);
      }
      return null;
    }
    refused.clear(sid);
    Session s = new Session(sid, t, joined);
    sessions.put(sid, s);
    emit(new SmpSessionEvent(SmpSessionEvent.Kind.OPENED, sid, t, joined, null, false, 0, 0, t));
    sink.onSessionOpened(sid, t);
    return s;
  }

  private void close(Session s, long t) {
    sessions.remove(s.sid);
    sink.onSessionClosed(s.sid, t);
    emit(
        new SmpSessionEvent(
            SmpSessionEvent.Kind.CLOSED,
            s.sid,
            s.openNanos,
            s.joined,
            s.firstFin,
            s.client.fin && s.server.fin,
            s.client.dataPackets,
            s.server.dataPackets,
            t));
  }

  private void onHeader(Direction d, SmpHeader h, long t) {
    Session s = sessions.get(h.sid());
    if (h.isSyn()) {
      if (d != Direction.CLIENT_TO_SERVER) {
        error(d, "SYN from the server for SID " + h.sid(), t); // 3.3.3.1
        return;
      }
      if (s != null) {
        error(d, "SYN for SID " + h.sid() + " which is still open", t);
        close(s, t);
      }
      s = open(h.sid(), t, false);
      if (s != null) {
        s.server.highWaterForSend = h.wndw();
      }
      return;
    }
    if (s == null) {
      if (refused.get(h.sid())) {
        return;
      }
      if (!joinedMidStream) {
        error(d, SmpHeader.flagName(h.flags()) + " for SID " + h.sid() + " without a SYN", t);
      }
      s = open(h.sid(), t, true);
      if (s == null) {
        return;
      }
    }
    Half sender = s.half(d);
    Half peer = s.half(other(d));
    if (h.isData()) {
      if (sender.fin) {
        error(d, "DATA after FIN on SID " + h.sid(), t);
      }
      if (sender.seqKnown && h.seqNum() != ((sender.seqNum + 1) & 0xFFFFFFFFL)) {
        error(d, "SID " + h.sid() + " DATA SEQNUM " + h.seqNum() + " after " + sender.seqNum, t);
      } else if (sender.windowKnown && after(h.seqNum(), sender.highWaterForSend)) {
        error(
            d,
            "SID "
                + h.sid()
                + " DATA SEQNUM "
                + h.seqNum()
                + " beyond the window "
                + sender.highWaterForSend,
            t);
      }
      sender.seqNum = h.seqNum();
      sender.seqKnown = true;
      sender.dataPackets++;
    } else if (h.isAck() && sender.seqKnown && h.seqNum() != sender.seqNum) {
      error(
          d,
          "SID " + h.sid() + " ACK SEQNUM " + h.seqNum() + ", last DATA was " + sender.seqNum,
          t);
    }
    // every packet's WNDW is the window the sender grants its peer (3.1.5.2.1)
    if (peer.windowKnown && after(peer.highWaterForSend, h.wndw())) {
      error(
          d,
          "SID " + h.sid() + " WNDW went back from " + peer.highWaterForSend + " to " + h.wndw(),
          t);
    }
    peer.highWaterForSend = h.wndw();
    peer.windowKnown = true;
    if (peer.seqKnown && after(h.wndw(), peer.seqNum)) {
      peer.endStall(s, other(d), h.wndw(), t);
    }
    if (h.isFin()) {
      if (sender.fin) {
        error(d, "second FIN on SID " + h.sid(), t);
      }
      sender.fin = true;
      if (s.firstFin == null) {
        s.firstFin = d;
      }
      if (s.client.fin && s.server.fin) {
        close(s, t);
      }
    }
  }

  private void onData(Direction d, SmpHeader h, byte[] buf, int off, int len, long t) {
    if (sessions.containsKey(h.sid()) && len > 0) {
      sink.onSessionData(h.sid(), d, buf, off, len, t);
    }
  }

  private void onPacketEnd(Direction d, SmpHeader h, long t) {
    Session s = sessions.get(h.sid());
    if (s == null || !h.isData()) {
      return;
    }
    Half sender = s.half(d);
    // the window is used up; it is a stall only if the sender is inside a message and so has more
    // to send
    if (sender.windowKnown
        && sender.seqNum == sender.highWaterForSend
        && sender.stallStart < 0
        && sink.midMessage(h.sid(), d)) {
      sender.stallStart = t;
    }
  }

  /** Wrap-aware "a is after b" for 32-bit sequence numbers. */
  static boolean after(long a, long b) {
    return (int) (a - b) > 0;
  }

  private static Direction other(Direction d) {
    return d == Direction.CLIENT_TO_SERVER
        ? Direction.SERVER_TO_CLIENT
        : Direction.CLIENT_TO_SERVER;
  }

  private final class Side implements SmpFramer.Sink {
    private final Direction direction;

    Side(Direction direction) {
      this.direction = direction;
    }

    @Override
    public void onHeader(SmpHeader h, long timeNanos) {
      SmpDemultiplexer.this.onHeader(direction, h, timeNanos);
    }

    @Override
    public void onData(SmpHeader h, byte[] buf, int off, int len, long timeNanos) {
      SmpDemultiplexer.this.onData(direction, h, buf, off, len, timeNanos);
    }

    @Override
    public void onPacketEnd(SmpHeader h, long timeNanos) {
      SmpDemultiplexer.this.onPacketEnd(direction, h, timeNanos);
    }

    @Override
    public void onFramingError(String reason, long timeNanos) {
      error(direction, reason, timeNanos);
    }
  }

  /** MC-SMP 3.1.1.1 Session object, as far as an observer can know it. */
  private final class Session {
    final int sid;
    final long openNanos;
    final boolean joined;
    final Half client = new Half();
    final Half server = new Half();
    Direction firstFin;

    Session(int sid, long openNanos, boolean joined) {
      this.sid = sid;
      this.openNanos = openNanos;
      this.joined = joined;
      // a joined session's counters are learnt from its first packets
      client.seqKnown = !joined;
      server.seqKnown = !joined;
      client.windowKnown = !joined;
      server.windowKnown = !joined;
    }

    Half half(Direction d) {
      return d == Direction.CLIENT_TO_SERVER ? client : server;
    }
  }

  /** One sender's view: its SeqNumForSend and HighWaterForSend. */
  private final class Half {
    long seqNum;
    long highWaterForSend = INITIAL_WINDOW;
    boolean seqKnown;
    boolean windowKnown;
    boolean fin;
    long dataPackets;
    long stallStart = -1;

    void endStall(Session s, Direction d, long newWindow, long t) {
      if (stallStart >= 0) {
        emit(new SmpWindowStallEvent(s.sid, d, seqNum, stallStart, newWindow, newWindow >= 0, t));
        stallStart = -1;
      }
    }
  }
}
