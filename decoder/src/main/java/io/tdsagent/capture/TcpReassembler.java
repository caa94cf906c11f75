package io.tdsagent.capture;

import io.tdsagent.tds.event.Direction;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Groups TCP segments into connections by 4-tuple, decides which end is the client, and delivers
 * each direction's payload in sequence order: retransmitted bytes are dropped, out-of-order
 * segments are held (bounded) until the hole fills, and holes that never fill are reported as gaps.
 *
 * <p>Client side: the sender of a SYN without ACK; without a handshake in the capture, the end not
 * using port 1433 (or {@code serverPort}), else the end whose first payload looks like PRELOGIN or
 * LOGIN7.
 *
 * <p>Memory: closed connections are forgotten (a bounded set of recently closed ones absorbs their
 * last ACKs); each open one holds at most {@code MAX_HELD_BYTES} per direction of out-of-order
 * data.
 */
public final class TcpReassembler {
  private static final int MAX_HELD_SEGMENTS = 256;
  private static final long MAX_HELD_BYTES = 4L << 20;
  private static final int MAX_RECENTLY_CLOSED = 4096;

  private final TcpStreamListener listener;
  private final int serverPort;
  private final Map<String, Conn> conns = new HashMap<>();

  /**
   * Recently closed 4-tuples: stray ACKs and retransmitted FINs after the close must not open new
   * connections.
   */
  private final Map<String, Boolean> recentlyClosed =
      new LinkedHashMap<String, Boolean>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MAX_RECENTLY_CLOSED;
        }
      };

  private int nextId;
  private long lastTimestamp;

  public TcpReassembler(TcpStreamListener listener) {
    this(listener, 1433);
  }

  public TcpReassembler(TcpStreamListener listener, int serverPort) {
    this.listener = listener;
    this.serverPort = serverPort;
  }

  public void accept(TcpSegment s) {
    lastTimestamp = s.timestampNanos();
    String a = TcpSegment.endpoint(s.srcAddr(), s.srcPort());
    String b = TcpSegment.endpoint(s.dstAddr(), s.dstPort());
    String key = a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    Conn c = conns.get(key);
    if (c == null) {
      if (recentlyClosed.containsKey(key)) {
        if (!s.has(TcpSegment.SYN) || s.has(TcpSegment.ACK)) {
          return; // the tail of a connection already closed
        }
        recentlyClosed.remove(key); // the 4-tuple is reused
      }
      c = new Conn(key);
      conns.put(key, c);
    }
    if (c.connection == null) {
      String client = chooseClient(s, a, b);
      if (client == null) {
        return; // a bare ACK or similar before we can tell the ends apart
      }
      c.connection = new TcpConnection(nextId++, client, client.equals(a) ? b : a);
    }
    Direction d =
        a.equals(c.connection.client()) ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
    handshake(c, d, s);
    Half h = d == Direction.CLIENT_TO_SERVER ? c.toServer : c.toClient;
    boolean wasFinished = h.finished;
    h.segment(c.connection, d, s);
    if (h.finished && !wasFinished) {
      listener.onFin(c.connection, d, s.timestampNanos());
    }
    if (s.has(TcpSegment.RST)) {
      listener.onReset(c.connection, d, s.timestampNanos());
    }
    if (s.has(TcpSegment.RST) || (c.toServer.finished && c.toClient.finished)) {
      close(c, s.timestampNanos());
    }
  }

  private void handshake(Conn c, Direction d, TcpSegment s) {
    if (c.ackNanos != 0) {
      return;
    }
    if (s.has(TcpSegment.SYN)) {
      if (d == Direction.CLIENT_TO_SERVER && !s.has(TcpSegment.ACK) && c.synNanos == 0) {
        c.synNanos = s.timestampNanos();
      } else if (d == Direction.SERVER_TO_CLIENT && s.has(TcpSegment.ACK) && c.synAckNanos == 0) {
        c.synAckNanos = s.timestampNanos();
      }
    } else if (d == Direction.CLIENT_TO_SERVER && s.has(TcpSegment.ACK) && c.synAckNanos != 0) {
      c.ackNanos = s.timestampNanos();
      if (c.synNanos != 0) {
        listener.onHandshake(c.connection, c.synNanos, c.synAckNanos, c.ackNanos);
      }
    } else if (!s.has(TcpSegment.SYN)) {
      c.ackNanos = -1; // joined after the handshake
    }
  }

  /** Connections open now (each holding its reassembly state). */
  public int openConnections() {
    return conns.size();
  }

  private String chooseClient(TcpSegment s, String src, String dst) {
    if (s.has(TcpSegment.SYN)) {
      return s.has(TcpSegment.ACK) ? dst : src;
    }
    if (s.dstPort() == serverPort && s.srcPort() != serverPort) {
      return src;
    }
    if (s.srcPort() == serverPort && s.dstPort() != serverPort) {
      return dst;
    }
    byte[] p = s.payload();
    if (p.length == 0) {
      return null;
    }
    int type = p[0] & 0xFF;
    return type == 0x12 || type == 0x10 ? src : type == 0x04 ? dst : src;
  }

  /** End of capture: flush what is held and close every connection still open. */
  public void finish() {
    for (Conn c : conns.values().toArray(new Conn[0])) {
      if (!c.closed && c.connection != null) {
        close(c, lastTimestamp);
      }
    }
    conns.clear();
  }

  private void close(Conn c, long ts) {
    c.toServer.flush(c.connection, Direction.CLIENT_TO_SERVER, ts);
    c.toClient.flush(c.connection, Direction.SERVER_TO_CLIENT, ts);
    c.closed = true;
    conns.remove(c.key);
    recentlyClosed.put(c.key, Boolean.TRUE);
    listener.onClose(c.connection, ts);
  }

  private final class Conn {
    final String key;
    TcpConnection connection;
    final Half toServer = new Half();
    final Half toClient = new Half();
    boolean closed;
    long synNanos;
    long synAckNanos;

    /** 0 until the handshake's last ACK; -1 when the capture joined after it. */
    long ackNanos;

    Conn(String key) {
      this.key = key;
    }
  }

  private final class Half {
    private boolean started;

    /** Next expected sequence number (unsigned 32-bit). */
    private long next;

    private boolean finished;
    private final TreeMap<Long, TcpSegment> held = new TreeMap<>();
    private long heldBytes;

    void segment(TcpConnection conn, Direction d, TcpSegment s) {
      if (!started) {
        started = true;
        next = s.has(TcpSegment.SYN) ? (s.seq() + 1) & 0xFFFFFFFFL : s.seq();
      } else if (s.has(TcpSegment.SYN)) {
        return; // retransmitted SYN
      }
      byte[] p = s.payload();
      long seq = s.has(TcpSegment.SYN) ? (s.seq() + 1) & 0xFFFFFFFFL : s.seq();
      if (p.length > 0) {
        long rel = rel(seq);
        if (rel < 0 && -rel < p.length) {
          deliver(conn, d, p, (int) -rel, s.timestampNanos()); // partial retransmission
        } else if (rel < 0) {
          listener.onRetransmission(conn, d, p.length, s.timestampNanos());
        } else if (rel == 0) {
          deliver(conn, d, p, 0, s.timestampNanos());
        } else if (rel > 0) {
          hold(conn, d, seq, s);
        }
        drain(conn, d, s.timestampNanos());
      }
      if (s.has(TcpSegment.FIN)) {
        finished = true;
      }
    }

    /** Signed distance from the next expected byte, wrap-safe. */
    private long rel(long seq) {
      return (int) (seq - next);
    }

    private void deliver(TcpConnection conn, Direction d, byte[] p, int from, long ts) {
      listener.onData(conn, d, p, from, p.length - from, ts);
      next = (next + p.length - from) & 0xFFFFFFFFL;
    }

    private void hold(TcpConnection conn, Direction d, long seq, TcpSegment s) {
      if (held.containsKey(seq)) {
        return;
      }
      held.put(seq, s);
      heldBytes += s.payload().length;
      if (held.size() > MAX_HELD_SEGMENTS || heldBytes > MAX_HELD_BYTES) {
        skipToHeld(conn, d, s.timestampNanos());
      }
    }

    /** Gives up on the hole before the earliest held segment. */
    private void skipToHeld(TcpConnection conn, Direction d, long ts) {
      long best = -1;
      long bestRel = Long.MAX_VALUE;
      for (long k : held.keySet()) {
        long r = rel(k);
        if (r < bestRel) {
          bestRel = r;
          best = k;
        }
      }
      if (best >= 0 && bestRel > 0) {
        listener.onGap(conn, d, bestRel, ts);
        next = best;
      }
      drain(conn, d, ts);
    }

    /**
     * Delivers held segments the stream has caught up with, stamped with the time they became
     * readable.
     */
    private void drain(TcpConnection conn, Direction d, long ts) {
      boolean progress = true;
      while (progress && !held.isEmpty()) {
        progress = false;
        Iterator<Map.Entry<Long, TcpSegment>> it = held.entrySet().iterator();
        while (it.hasNext()) {
          Map.Entry<Long, TcpSegment> e = it.next();
          long r = rel(e.getKey());
          byte[] p = e.getValue().payload();
          if (r <= 0) {
            it.remove();
            heldBytes -= p.length;
            if (-r < p.length) {
              deliver(conn, d, p, (int) -r, ts);
            }
            progress = true;
          }
        }
      }
    }

    void flush(TcpConnection conn, Direction d, long ts) {
      // each round delivers at least the earliest held segment
      while (!held.isEmpty()) {
        skipToHeld(conn, d, ts);
      }
      heldBytes = 0;
    }
  }
}
