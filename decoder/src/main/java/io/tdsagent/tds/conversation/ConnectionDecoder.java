package io.tdsagent.tds.conversation;

import io.tdsagent.smp.SmpDemultiplexer;
import io.tdsagent.smp.SmpFramer;
import io.tdsagent.smp.SmpHeader;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.Phase;
import io.tdsagent.tds.event.PreloginEvent;
import io.tdsagent.tds.event.SmpTdsEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TdsEventListener;
import io.tdsagent.tds.token.LoginAck;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything one connection carries, for the agent and for capture replay alike: the login {@link
 * TdsConversation}, and once MARS starts, an SMP demultiplexer with a TDS conversation per session.
 *
 * <p>MARS detection (MS-TDS 2.2.6.5 MARS option): when both PRELOGIN messages agreed on MARS and
 * the login succeeded, a client chunk starting with SMID 0x53 (never a TDS packet type) switches
 * the connection to SMP for good. A connection joined after its login (nothing seen before) whose
 * first bytes are an SMP header is taken as SMP too, its sessions "joined".
 *
 * <p>Events: the login conversation's as they are; then {@code SmpSessionEvent}, {@code
 * SmpWindowStallEvent} and DecodeErrorEvents of layer "smp" untagged, and each session's own events
 * wrapped in {@link SmpTdsEvent} with its SID. Memory: a login conversation plus at most {@code
 * maxSessions} session conversations, each bounded by {@link DecoderLimits}. Never throws; not
 * thread-safe.
 */
public final class ConnectionDecoder {
  private final TdsEventListener listener;
  private final DecoderLimits limits;
  private final int maxSessions;
  private final TdsConversation login;
  private final Map<Integer, TdsConversation> sessions = new HashMap<>();

  private SmpDemultiplexer smp;
  private boolean anyBytes;
  private Boolean clientMars;
  private Boolean serverMars;

  /** The login succeeded with MARS agreed, and the client has not written since. */
  private boolean smpMayStart;

  private int tdsVersion;

  public ConnectionDecoder(TdsEventListener listener) {
    this(listener, DecoderLimits.defaults(), SmpDemultiplexer.DEFAULT_MAX_SESSIONS);
  }

  public ConnectionDecoder(TdsEventListener listener, DecoderLimits limits, int maxSessions) {
    this.listener = listener;
    this.limits = limits;
    this.maxSessions = maxSessions;
    this.login = new TdsConversation(this::fromLogin, limits);
  }

  public void onClientBytes(byte[] buf, int off, int len, long timeNanos) {
    if (buf == null || len <= 0 || off < 0 || off > buf.length - len) {
      login.onClientBytes(buf, off, len, timeNanos); // reports the bad range
      return;
    }
    if (smp == null && (smpMayStart || !anyBytes) && startsSmp(buf, off, len)) {
      smp = new SmpDemultiplexer(listener, new Sessions(), maxSessions, !anyBytes);
    }
    anyBytes = true;
    smpMayStart = false;
    if (smp != null) {
      smp.onClientBytes(buf, off, len, timeNanos);
    } else {
      login.onClientBytes(buf, off, len, timeNanos);
    }
  }

  public void onServerBytes(byte[] buf, int off, int len, long timeNanos) {
    if (buf != null
        && len > 0
        && off >= 0
        && off <= buf.length - len
        && smp == null
        && !anyBytes
        && startsSmp(buf, off, len)) {
      smp = new SmpDemultiplexer(listener, new Sessions(), maxSessions, true);
    }
    anyBytes = true;
    if (smp != null) {
      smp.onServerBytes(buf, off, len, timeNanos);
    } else {
      login.onServerBytes(buf, off, len, timeNanos);
    }
  }

  public void onClose(long timeNanos) {
    if (smp != null) {
      smp.onClose(timeNanos);
    }
    login.onClose(timeNanos);
  }

  /** Gave up on this connection (the login conversation stopped before any SMP). */
  public boolean isStopped() {
    return smp == null && login.isStopped();
  }

  /** The connection switched to SMP. */
  public boolean isMars() {
    return smp != null;
  }

  /** Phase of the login conversation (LOGGED_IN once MARS runs). */
  public Phase phase() {
    return login.phase();
  }

  public int openSessions() {
    return sessions.size();
  }

  private static boolean startsSmp(byte[] buf, int off, int len) {
    return (buf[off] & 0xFF) == SmpHeader.SMID
        && SmpHeader.problem(buf, off, Math.min(len, SmpHeader.SIZE), SmpFramer.MAX_PACKET) == null;
  }

  private void fromLogin(TdsEvent e) {
    if (e instanceof PreloginEvent) {
      PreloginEvent p = (PreloginEvent) e;
      if (p.direction() == Direction.CLIENT_TO_SERVER) {
        clientMars = p.prelogin().mars();
      } else {
        serverMars = p.prelogin().mars();
      }
    } else if (e instanceof LoginOutcomeEvent) {
      LoginOutcomeEvent o = (LoginOutcomeEvent) e;
      LoginAck ack = o.ack();
      tdsVersion = ack != null ? ack.tdsVersion() : 0;
      // the server answers the MARS option with its own choice; an absent answer is taken as
      // agreement
      smpMayStart =
          o.outcome() == LoginOutcomeEvent.Outcome.SUCCESS
              && Boolean.TRUE.equals(clientMars)
              && !Boolean.FALSE.equals(serverMars);
    }
    try {
      listener.onEvent(e);
    } catch (RuntimeException ignored) {
      // a listener bug must not break decoding
    }
  }

  /** Each SMP session's TDS stream gets a conversation of its own, started after the login. */
  private final class Sessions implements SmpDemultiplexer.SessionSink {
    @Override
    public void onSessionOpened(int sid, long timeNanos) {
      sessions.put(
          sid,
          TdsConversation.afterLogin(
              e -> {
                try {
                  listener.onEvent(new SmpTdsEvent(sid, e));
                } catch (RuntimeException ignored) {
                  // as above
                }
              },
              limits,
              tdsVersion));
    }

    @Override
    public void onSessionData(int sid, Direction d, byte[] buf, int off, int len, long timeNanos) {
      TdsConversation c = sessions.get(sid);
      if (c == null) {
        return;
      }
      if (d == Direction.CLIENT_TO_SERVER) {
        c.onClientBytes(buf, off, len, timeNanos);
      } else {
        c.onServerBytes(buf, off, len, timeNanos);
      }
    }

    @Override
    public void onSessionClosed(int sid, long timeNanos) {
      TdsConversation c = sessions.remove(sid);
      if (c != null) {
        c.onClose(timeNanos);
      }
    }

    @Override
    public boolean midMessage(int sid, Direction d) {
      TdsConversation c = sessions.get(sid);
      return c != null && c.isMidMessage(d);
    }
  }
}
