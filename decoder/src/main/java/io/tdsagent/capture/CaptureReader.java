package io.tdsagent.capture;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams frames out of a pcap or pcapng file, one at a time. pcap: both byte orders, micro- and
 * nanosecond variants. pcapng: SHB (either byte order, several sections), IDB (link type and
 * if_tsresol per interface), EPB, SPB; other blocks are skipped.
 */
public abstract class CaptureReader implements Closeable {
  /** Refuse absurd block/frame sizes from corrupt files instead of allocating them. */
  static final int MAX_FRAME = 1 << 20;

  protected final DataInputStream in;

  CaptureReader(DataInputStream in) {
    this.in = in;
  }

  public static CaptureReader open(Path path) throws IOException {
    return open(Files.newInputStream(path));
  }

  public static CaptureReader open(InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 65536));
    byte[] magic = new byte[4];
    try {
      in.readFully(magic);
    } catch (EOFException e) {
      in.close();
      throw new CaptureFormatException("file shorter than a capture header");
    }
    int be =
        (magic[0] & 0xFF) << 24
            | (magic[1] & 0xFF) << 16
            | (magic[2] & 0xFF) << 8
            | (magic[3] & 0xFF);
    switch (be) {
      case 0xA1B2C3D4:
        return new PcapReader(in, false, false);
      case 0xD4C3B2A1:
        return new PcapReader(in, true, false);
      case 0xA1B23C4D:
        return new PcapReader(in, false, true);
      case 0x4D3CB2A1:
        return new PcapReader(in, true, true);
      case 0x0A0D0D0A:
        return new PcapngReader(in);
      default:
        in.close();
        throw new CaptureFormatException("unknown capture magic 0x" + Integer.toHexString(be));
    }
  }

  /** The next frame, or null at the end of the file. */
  public abstract CapturedFrame next() throws IOException;

  @Override
  public void close() throws IOException {
    in.close();
  }

  static int u32(byte[] b, int off, boolean littleEndian) {
    return littleEndian
        ? (b[off] & 0xFF)
            | (b[off + 1] & 0xFF) << 8
            | (b[off + 2] & 0xFF) << 16
            | (b[off + 3] & 0xFF) << 24
        : (b[off] & 0xFF) << 24
            | (b[off + 1] & 0xFF) << 16
            | (b[off + 2] & 0xFF) << 8
            | (b[off + 3] & 0xFF);
  }

  static int u16(byte[] b, int off, boolean littleEndian) {
    return littleEndian
        ? (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8
        : (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
  }

  /** Reads exactly n bytes, or returns null on a clean end of file before the first byte. */
  byte[] readOrEof(int n) throws IOException {
    byte[] b = new byte[n];
    int got = 0;
    while (got < n) {
      int r = in.read(b, got, n - got);
      if (r < 0) {
        if (got == 0) {
          return null;
        }
        throw new CaptureFormatException("capture truncated inside a record");
      }
      got += r;
    }
    return b;
  }
}
