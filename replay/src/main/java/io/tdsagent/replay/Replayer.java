package io.tdsagent.replay;

import io.tdsagent.capture.CaptureFormatException;
import io.tdsagent.capture.CaptureReader;
import io.tdsagent.capture.CapturedFrame;
import io.tdsagent.capture.FrameDissector;
import io.tdsagent.capture.TcpConnection;
import io.tdsagent.capture.TcpReassembler;
import io.tdsagent.capture.TcpSegment;
import io.tdsagent.capture.TcpStreamListener;
import io.tdsagent.smp.SmpFramer;
import io.tdsagent.smp.SmpHeader;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.TdsEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Replays one capture: frames to TCP segments, segments to in-order streams, streams that look like
 * TDS (by their first bytes, on any port) to a {@link ReplayedConnection} each (the decoder and the
 * agent's own tracer), and the span plans that makes to the sink. A damaged capture stops the
 * reading, not the replay: connections decoded so far are still written.
 */
public final class Replayer {

  /** What a replay found. */
  public static final class Result {
    public final long frames;
    public final int tcpConnections;
    public final int tdsConnections;

    /** Why reading stopped early (truncated or corrupt), or null. */
    public final String damage;

    Result(long frames, int tcpConnections, int tdsConnections, String damage) {
      this.frames = frames;
      this.tcpConnections = tcpConnections;
      this.tdsConnections = tdsConnections;
      this.damage = damage;
    }
  }

  /**
   * Watches what the replay reads: for tests that hold it against another reader of the same
   * capture (tshark).
   */
  public interface Observer {
    /** The bytes of one TDS connection as the decoder is fed them, in order per direction. */
    default void data(String connection, Direction d, byte[] buf, int off, int len) {}

    /** Each event the decoder makes of them. */
    default void event(String connection, TdsEvent e) {}
  }

  private final SpanSink sink;
  private Observer observer = new Observer() {};

  /** Shows an observer what is decoded, as it is. */
  public Replayer observe(Observer o) {
    this.observer = o;
    return this;
  }

  private boolean rawSql;

  /** Export SQL text as captured instead of with its literals replaced by {@code ?}. */
  public Replayer rawSql(boolean raw) {
    this.rawSql = raw;
    return this;
  }

  public Replayer(SpanSink sink) {
    this.sink = sink;
  }

  /**
   * @throws CaptureFormatException the file is no capture at all (bad magic, shorter than a header)
   * @throws IOException it cannot be opened, or the sink failed
   */
  public Result replay(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return replay(in, file.getFileName().toString());
    }
  }

  public Result replay(InputStream in, String name) throws IOException {
    Streams streams = new Streams(name.hashCode());
    TcpReassembler tcp = new TcpReassembler(streams);
    long frames = 0;
    String damage = null;
    try (CaptureReader r = CaptureReader.open(in)) {
      try {
        CapturedFrame f;
        while ((f = r.next()) != null) {
          frames++;
          try {
            TcpSegment s = FrameDissector.tcp(f);
            if (s != null) {
              tcp.accept(s);
            }
          } catch (UncheckedIOException e) {
            throw e;
          } catch (RuntimeException e) {
            // a bug must cost one frame, not the replay (the decoders themselves never throw)
            if (damage == null) {
              damage = "frame " + frames + " skipped: " + e;
            }
          }
          streams.rethrow();
        }
      } catch (CaptureFormatException | java.io.EOFException e) {
        damage = "capture damaged after " + frames + " frames: " + e.getMessage();
      } catch (UncheckedIOException e) {
        throw e.getCause();
      } catch (IOException e) {
        streams.rethrow();
        damage = "capture unreadable after " + frames + " frames: " + e.getMessage();
      }
    }
    try {
      tcp.finish();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    streams.rethrow();
    return new Result(frames, streams.tcpConnections, streams.tdsConnections, damage);
  }

  /** Does a stream's first chunk look like TDS (or SMP) from this side? */
  static boolean looksLikeTds(Direction d, byte[] b, int off, int len, int serverPort) {
    if (len <= 0) {
      return false;
    }
    int type = b[off] & 0xFF;
    if (type == SmpHeader.SMID) {
      return len >= SmpHeader.SIZE
          && SmpHeader.problem(b, off, SmpHeader.SIZE, SmpFramer.MAX_PACKET) == null;
    }
    if (type == 0x16 && len >= 3 && b[off + 1] == 3 && d == Direction.CLIENT_TO_SERVER) {
      return serverPort == 1433; // TDS 8: a TLS ClientHello first; only on the usual port
    }
    boolean typeOk =
        d == Direction.CLIENT_TO_SERVER
            ? type == 0x12
                || type == 0x10
                || type == 0x01
                || type == 0x03
                || type == 0x0E
                || type == 0x07
                || type == 0x06
                || type == 0x11
            : type == 0x04;
    if (!typeOk || len < 8) {
      return typeOk && len >= 1 && serverPort == 1433;
    }
    int status = b[off + 1] & 0xFF;
    int length = (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    // MS-TDS 2.2.3.1: status bits below 0x20 (old servers use 0x04 too), Length at least the
    // header, Window 0
    return status < 0x20 && length >= 8 && b[off + 7] == 0;
  }

  private final class Streams implements TcpStreamListener {
    private final int seed;
    private final Map<Integer, Conn> conns = new HashMap<>();
    int tcpConnections;
    int tdsConnections;
    private IOException failure;

    Streams(int seed) {
      this.seed = seed;
    }

    void rethrow() throws IOException {
      if (failure != null) {
        IOException f = failure;
        failure = null;
        throw f;
      }
    }

    private Conn of(TcpConnection c) {
      Conn x = conns.get(c.id());
      if (x == null) {
        x = new Conn(c);
        conns.put(c.id(), x);
        tcpConnections++;
      }
      return x;
    }

    @Override
    public void onHandshake(TcpConnection c, long syn, long synAck, long ack) {
      of(c).trace.handshake(syn, synAck, ack);
    }

    @Override
    public void onData(TcpConnection c, Direction d, byte[] buf, int off, int len, long ts) {
      Conn x = of(c);
      if (x.state == State.UNDECIDED) {
        int port = Integer.parseInt(c.server().substring(c.server().lastIndexOf(':') + 1));
        if (looksLikeTds(d, buf, off, len, port)) {
          x.state = State.TDS;
          tdsConnections++;
        } else {
          x.state = State.OTHER;
        }
      }
      if (x.state == State.TDS) {
        observer.data(x.name, d, buf, off, len);
        x.trace.data(d, buf, off, len, ts);
      }
    }

    @Override
    public void onGap(TcpConnection c, Direction d, long missing, long ts) {
      Conn x = of(c);
      if (x.state == State.TDS) {
        x.trace.gap(d, missing);
        x.state = State.GAP; // framing after a hole would be a guess
      }
    }

    @Override
    public void onFin(TcpConnection c, Direction d, long ts) {
      of(c).trace.fin(d, ts);
    }

    @Override
    public void onReset(TcpConnection c, Direction d, long ts) {
      of(c).trace.reset(d, ts);
    }

    @Override
    public void onRetransmission(TcpConnection c, Direction d, int bytes, long ts) {
      of(c).trace.retransmission();
    }

    @Override
    public void onClose(TcpConnection c, long ts) {
      Conn x = conns.remove(c.id());
      if (x == null || (x.state != State.TDS && x.state != State.GAP)) {
        return;
      }
      // at the end of a capture, the connection ends when it was last seen, not when the file does
      x.trace.close(x.trace.lastSeen() > 0 ? x.trace.lastSeen() : ts);
    }

    /** A connection of the capture and, once its content says TDS, what it is traced with. */
    private final class Conn {
      State state = State.UNDECIDED;
      final ReplayedConnection trace;
      final String name;

      Conn(TcpConnection c) {
        name = c.client() + " -> " + c.server();
        PlanExport ids = new PlanExport(seed * 31L + c.id(), c.client() + " -> " + c.server());
        trace =
            new ReplayedConnection(
                c.client(),
                c.server(),
                rawSql,
                plan -> {
                  try {
                    for (Span span : ids.spans(plan)) {
                      sink.span(span);
                    }
                  } catch (IOException e) {
                    if (failure == null) {
                      failure = e;
                    }
                  }
                });
        trace.observe(e -> observer.event(name, e));
      }
    }
  }

  private enum State {
    UNDECIDED,
    TDS,
    OTHER,
    GAP
  }
}
