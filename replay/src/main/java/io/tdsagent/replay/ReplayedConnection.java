package io.tdsagent.replay;

import io.tdsagent.tds.conversation.ConnectionDecoder;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.Phase;
import io.tdsagent.tds.event.RequestEvent;
import io.tdsagent.tds.event.ResponseEndEvent;
import io.tdsagent.tds.event.ResponseStartEvent;
import io.tdsagent.tds.event.SmpSessionEvent;
import io.tdsagent.tds.event.SmpTdsEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TdsEventListener;
import io.tdsagent.tds.request.AttentionRequest;
import io.tdsagent.trace.ConnectionTracer;
import io.tdsagent.trace.RequestAdmission;
import io.tdsagent.trace.SpanPlan;
import io.tdsagent.trace.TdsAttributes;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One TCP connection of a capture: its bytes go to a {@link ConnectionDecoder}, whose events go to
 * the same {@link ConnectionTracer} the agent uses (so the login, request and MARS spans are the
 * agent's, with the capture's timestamps as their times), and what only a capture shows is added as
 * a {@code SQL Server connection} span of its own, linked to the login: who closed the connection
 * and how (FIN or RST, and whether that was abnormal for the state the conversation was in), the
 * TCP handshake's timing and the side the capture was taken on, gaps and retransmissions. That span
 * is written last.
 */
final class ReplayedConnection implements TdsEventListener {
  static final String CONNECTION_SPAN = "SQL Server connection";
  private static final int MAX_NOTES = 16;

  /** Below this a difference says nothing about where the capture was taken. */
  private static final long SIDE_MIN_DIFF_NANOS = 50_000;

  private static final int MAIN = -1;

  private final String clientAddress;
  private final long clientPort;
  private final String serverAddress;
  private final long serverPort;
  private final boolean rawSql;
  private final Consumer<SpanPlan> sink;
  private final ConnectionDecoder decoder;
  private ConnectionTracer tracer;
  private Consumer<TdsEvent> observer = e -> {};

  private long first = Long.MAX_VALUE;
  private long last;
  private long syn;
  private long synAck;
  private long ack;
  private Direction finFirst;
  private long finNanos;
  private Direction rst;
  private long rstNanos;
  private long gaps;
  private long gapBytes;
  private long retransmissions;
  private String closeContext;
  private boolean closeAbnormal;
  private final List<String> notes = new ArrayList<>();

  private boolean loginEnded;
  private boolean midSession;
  private long requests;
  private long marsSessions;

  /**
   * Per exchange (-1 the connection's own, else the MARS session id): a request sent, its answer
   * begun.
   */
  private final Map<Integer, boolean[]> outstanding = new HashMap<>();

  ReplayedConnection(String client, String server, boolean rawSql, Consumer<SpanPlan> sink) {
    int c = client.lastIndexOf(':');
    int s = server.lastIndexOf(':');
    this.clientAddress = unbracket(client.substring(0, c));
    this.clientPort = Long.parseLong(client.substring(c + 1));
    this.serverAddress = unbracket(server.substring(0, s));
    this.serverPort = Long.parseLong(server.substring(s + 1));
    this.rawSql = rawSql;
    this.sink = sink;
    this.decoder = new ConnectionDecoder(this);
  }

  // ---- TCP, from the replayer ----

  void handshake(long synNanos, long synAckNanos, long ackNanos) {
    syn = synNanos;
    synAck = synAckNanos;
    ack = ackNanos;
    seen(synNanos);
    seen(ackNanos);
  }

  /**
   * The first bytes of the connection: a connection seen from its start (PRELOGIN, LOGIN7 or a TDS
   * 8 TLS ClientHello first) gets its login traced as the agent does from the driver's connect; one
   * joined later gets its requests only.
   */
  private void start(Direction d, byte[] b, int off, int len, long t) {
    int type = len > 0 ? b[off] & 0xFF : -1;
    boolean fromLogin =
        d == Direction.CLIENT_TO_SERVER && (type == 0x12 || type == 0x10 || type == 0x16);
    if (fromLogin) {
      long start = syn > 0 ? syn : t;
      tracer =
          ConnectionTracer.fromConnect(
              serverAddress,
              (int) serverPort,
              start,
              rawSql,
              sink,
              () -> null,
              RequestAdmission.ALL);
      // connected when the handshake's last ACK is seen
      tracer.login().tcpConnected(ack > 0 ? ack : start, null, null);
    } else {
      midSession = true;
      tracer =
          ConnectionTracer.midSession(
              serverAddress, (int) serverPort, t, rawSql, sink, () -> null, RequestAdmission.ALL);
    }
  }

  void data(Direction d, byte[] b, int off, int len, long t) {
    seen(t);
    if (tracer == null) {
      start(d, b, off, len, t);
    }
    if (d == Direction.CLIENT_TO_SERVER) {
      decoder.onClientBytes(b, off, len, t);
    } else {
      decoder.onServerBytes(b, off, len, t);
    }
  }

  void fin(Direction d, long t) {
    seen(t);
    if (finFirst == null && rst == null) {
      finFirst = d;
      finNanos = t;
      judgeClose(d, "FIN");
      if (d == Direction.SERVER_TO_CLIENT && tracer != null) {
        // what the agent learns when the driver reads the end of the stream
        tracer.serverClosed(t);
      }
    }
  }

  void reset(Direction d, long t) {
    seen(t);
    if (rst == null) {
      rst = d;
      rstNanos = t;
      if (finFirst == null) {
        closeAbnormal = true;
        judgeClose(d, "RST");
        if (d == Direction.SERVER_TO_CLIENT && tracer != null) {
          // what the agent learns when the driver fails on the reset
          tracer.clientError(t, "Connection reset", new SocketException("Connection reset"));
        }
      } else if (finFirst != d) {
        closeAbnormal = true;
      }
      // else: the side that had already closed cleanly (nothing outstanding, judged at its FIN)
      // resets
      // what is left, as mssql-jdbc and tedious do; the connection still ended normally
    }
  }

  void gap(Direction d, long bytes) {
    gaps++;
    gapBytes += bytes;
    note(
        "tcp: "
            + bytes
            + " bytes missing from the capture "
            + (d == Direction.CLIENT_TO_SERVER ? "client to server" : "server to client")
            + "; decoding of this connection stopped there");
  }

  void retransmission() {
    retransmissions++;
  }

  /** The last packet time of this connection; 0 if none. */
  long lastSeen() {
    return last;
  }

  /** The connection ended (FIN both ways, RST, or the end of the capture) at {@code t}. */
  void close(long t) {
    seen(t);
    decoder.onClose(t);
    if (tracer != null) {
      tracer.closed(t);
      tracer.login().closed(t);
    }
    sink.accept(connectionSpan(t));
  }

  // ---- the decoder's events: to the shared tracer, and watched for the close analysis ----

  void observe(Consumer<TdsEvent> o) {
    this.observer = o;
  }

  @Override
  public void onEvent(TdsEvent e) {
    observer.accept(e);
    watch(MAIN, e);
    if (tracer != null) {
      tracer.onEvent(e);
    }
  }

  private void watch(int sid, TdsEvent e) {
    if (e instanceof LoginOutcomeEvent) {
      loginEnded = true;
    } else if (e instanceof RequestEvent) {
      RequestEvent r = (RequestEvent) e;
      if (!r.ignored() && !(r.request() instanceof AttentionRequest)) {
        requests++;
        outstanding.put(sid, new boolean[] {true, false});
      }
    } else if (e instanceof ResponseStartEvent) {
      boolean[] o = outstanding.get(sid);
      if (o != null) {
        o[1] = true;
      }
    } else if (e instanceof ResponseEndEvent) {
      outstanding.remove(sid);
    } else if (e instanceof SmpSessionEvent) {
      SmpSessionEvent s = (SmpSessionEvent) e;
      if (s.kind() == SmpSessionEvent.Kind.OPENED) {
        marsSessions++;
      } else {
        outstanding.remove(s.sid());
      }
    } else if (e instanceof SmpTdsEvent) {
      watch(((SmpTdsEvent) e).sid(), ((SmpTdsEvent) e).event());
    }
  }

  /** Who stopped what, from the state when the first FIN or RST arrived. */
  private void judgeClose(Direction d, String kind) {
    String who = side(d);
    Phase p = decoder.phase();
    boolean loginUnderWay =
        !loginEnded
            && !midSession
            && (p == Phase.PRELOGIN
                || p == Phase.TLS_HANDSHAKE
                || p == Phase.LOGIN7
                || p == Phase.LOGIN_RESPONSE);
    if (loginUnderWay) {
      closeContext =
          who
              + " "
              + kind
              + " during the "
              + p.name()
                  .toLowerCase(Locale.ROOT)
                  .replace('_', ' ')
                  .replace("tls", "TLS")
                  .replace("login7", "LOGIN7")
                  .replace("prelogin", "PRELOGIN");
      closeAbnormal = true;
      return;
    }
    boolean[] open = null;
    for (boolean[] o : outstanding.values()) {
      open = open == null || o[1] ? o : open;
    }
    if (open != null) {
      closeContext = who + " " + kind + (open[1] ? " mid-response" : " with a request unanswered");
      closeAbnormal = true;
    } else if (kind.equals("RST")) {
      closeContext = who + " RST";
    }
  }

  private SpanPlan connectionSpan(long t) {
    long start = syn > 0 ? syn : first == Long.MAX_VALUE ? t : first;
    SpanPlan.Builder b =
        SpanPlan.builder(CONNECTION_SPAN, start)
            .end(Math.max(last, start))
            .attr(TdsAttributes.DB_SYSTEM_NAME, TdsAttributes.DB_SYSTEM_NAME_VALUE)
            .attr(TdsAttributes.SERVER_ADDRESS, serverAddress)
            .attr(TdsAttributes.SERVER_PORT, serverPort)
            .attr("client.address", clientAddress)
            .attr("client.port", clientPort)
            .attr("network.transport", "tcp")
            .attr("tds.joined_mid_session", midSession ? Boolean.TRUE : null)
            .attr("tds.requests", requests)
            .attr("tds.mars", decoder.isMars() ? Boolean.TRUE : null)
            .attr("tds.smp.sessions", decoder.isMars() ? marsSessions : null);
    if (tracer != null && tracer.loginLink() != null) {
      b.link(tracer.loginLink());
    }
    String close =
        rst != null && (finFirst == null || rstNanos <= finNanos)
            ? side(rst) + " RST"
            : finFirst != null ? side(finFirst) + " FIN" : "capture end";
    b.attr("tds.tcp.close", close)
        .attr(
            "tds.tcp.close_initiator",
            rst != null && finFirst == null
                ? side(rst)
                : finFirst != null ? side(finFirst) : "none")
        .attr("tds.tcp.close_abnormal", closeAbnormal);
    if (closeContext != null) {
      b.attr("tds.tcp.close_reason", closeContext);
    } else if (rst != null) {
      b.attr(
          "tds.tcp.close_reason",
          side(rst) + " RST after " + (finFirst != null ? side(finFirst) + " FIN" : "no FIN"));
    }
    if (syn > 0 && ack > 0) {
      b.attr("tds.tcp.syn_to_syn_ack_ms", ms(synAck - syn))
          .attr("tds.tcp.syn_ack_to_ack_ms", ms(ack - synAck));
    }
    b.attr("tds.capture.side", captureSide());
    if (gaps > 0) {
      b.attr("tds.tcp.gaps", gaps).attr("tds.tcp.gap_bytes", gapBytes);
    }
    if (retransmissions > 0) {
      b.attr("tds.tcp.retransmissions", retransmissions);
    }
    if (!notes.isEmpty()) {
      b.attr(TdsAttributes.DECODE_ERROR, String.join("; ", notes));
    }
    if (closeAbnormal) {
      b.error("connection ended abnormally: " + (closeContext != null ? closeContext : close))
          .attr(TdsAttributes.ERROR_TYPE, rst != null ? "connection_reset" : "connection_closed");
    }
    return b.build();
  }

  /**
   * A capture on the client shows the round trip between SYN and SYN-ACK and none between SYN-ACK
   * and ACK; on the server it is the other way round.
   */
  String captureSide() {
    if (syn <= 0 || ack <= 0) {
      return "unknown";
    }
    long a = synAck - syn;
    long b = ack - synAck;
    if (a > 3 * b && a - b >= SIDE_MIN_DIFF_NANOS) {
      return "client";
    }
    if (b > 3 * a && b - a >= SIDE_MIN_DIFF_NANOS) {
      return "server";
    }
    return "unknown";
  }

  private void seen(long t) {
    first = Math.min(first, t);
    last = Math.max(last, t);
  }

  private void note(String s) {
    if (notes.size() < MAX_NOTES) {
      notes.add(s);
    }
  }

  private static String side(Direction d) {
    return d == Direction.CLIENT_TO_SERVER ? "client" : "server";
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1000.0) / 1000.0;
  }

  private static String unbracket(String a) {
    return a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a;
  }
}
