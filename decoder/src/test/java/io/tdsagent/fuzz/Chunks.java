package io.tdsagent.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The fuzz input of a two-way stream: a sequence of records, each a control byte then its chunk.
 * The control byte's top bit is the direction (set: server to client); its low seven bits are the
 * chunk's length minus one, except 0x7F, which says a big-endian u16 (length minus one) follows. A
 * last record shorter than it says is cut where the input ends. The fuzzer thus decides both the
 * directions and where every chunk ends.
 */
public final class Chunks {
  /** Receives each chunk, valid only during the call. */
  public interface Sink {
    void chunk(boolean fromServer, byte[] buf, int off, int len);
  }

  private Chunks() {}

  public static void forEach(byte[] in, Sink sink) {
    int i = 0;
    while (i < in.length) {
      int ctl = in[i++] & 0xFF;
      int n = (ctl & 0x7F) + 1;
      if ((ctl & 0x7F) == 0x7F && i + 2 <= in.length) {
        n = ((in[i] & 0xFF) << 8 | (in[i + 1] & 0xFF)) + 1;
        i += 2;
      }
      n = Math.min(n, in.length - i);
      sink.chunk((ctl & 0x80) != 0, in, i, n);
      i += n;
    }
  }

  /** One direction's bytes as a capture delivered them. */
  public static final class Segment {
    final boolean fromServer;
    final byte[] bytes;

    public Segment(boolean fromServer, byte[] bytes) {
      this.fromServer = fromServer;
      this.bytes = bytes;
    }
  }

  /** Encodes segments in chunks of at most {@code chunk} bytes (1 to 65,536). */
  public static byte[] encode(List<Segment> segments, int chunk) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Segment s : segments) {
      for (int off = 0; off < s.bytes.length; off += chunk) {
        int n = Math.min(chunk, s.bytes.length - off);
        int dir = s.fromServer ? 0x80 : 0;
        if (n <= 0x7F) {
          out.write(dir | (n - 1));
        } else {
          out.write(dir | 0x7F);
          out.write((n - 1) >> 8);
          out.write((n - 1) & 0xFF);
        }
        out.write(s.bytes, off, n);
      }
    }
    return out.toByteArray();
  }
}
