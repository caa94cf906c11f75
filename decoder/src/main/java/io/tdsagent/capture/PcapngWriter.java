package io.tdsagent.capture;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a pcapng file (draft-ietf-opsawg-pcapng): one little-endian section header, one interface
 * (nanosecond timestamps, {@code if_tsresol} 9) and an Enhanced Packet Block per frame, as {@link
 * CaptureReader} and Wireshark read them.
 *
 * <p>Streaming: each frame goes to a fixed-size buffer and out; nothing grows with the file.
 * Thread-safe: every method locks the writer, so several connections may write through one
 * instance.
 */
public final class PcapngWriter implements Closeable, Flushable {
  private static final int SHB = 0x0A0D0D0A;
  private static final int IDB = 1;
  private static final int EPB = 6;
  private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
  private static final int OPT_END = 0;
  private static final int OPT_SHB_USERAPPL = 4;
  private static final int OPT_IF_NAME = 2;
  private static final int OPT_IF_TSRESOL = 9;

  /** Largest frame accepted; {@link CaptureReader} refuses blocks above about a MiB. */
  public static final int MAX_FRAME = 262_144;

  private final OutputStream out;
  private final int linkType;
  private final byte[] header = new byte[28];
  private long frames;
  private boolean closed;

  /**
   * Writes the section header and the interface description at once.
   *
   * @param linkType a LINKTYPE_* value ({@link FrameDissector#LINKTYPE_ETHERNET}, {@link
   *     FrameDissector#LINKTYPE_RAW}, ...)
   * @param application written as {@code shb_userappl}; may be null
   * @param interfaceName written as {@code if_name}; may be null
   */
  public PcapngWriter(OutputStream out, int linkType, String application, String interfaceName)
      throws IOException {
    this.out = out instanceof BufferedOutputStream ? out : new BufferedOutputStream(out, 65536);
    this.linkType = linkType;
    writeSectionHeader(application);
    writeInterface(interfaceName);
  }

  /** Creates (or truncates) the file. */
  public static PcapngWriter create(
      Path file, int linkType, String application, String interfaceName) throws IOException {
    OutputStream os = Files.newOutputStream(file);
    try {
      return new PcapngWriter(os, linkType, application, interfaceName);
    } catch (IOException | RuntimeException e) {
      os.close();
      throw e;
    }
  }

  public int linkType() {
    return linkType;
  }

  /** Frames written so far. */
  public synchronized long frames() {
    return frames;
  }

  /** One frame captured whole, stamped with nanoseconds since the epoch. */
  public synchronized void writeFrame(long epochNanos, byte[] frame, int off, int len)
      throws IOException {
    if (closed) {
      throw new IOException("pcapng writer closed");
    }
    if (len < 0 || len > MAX_FRAME || off < 0 || off > frame.length - len) {
      throw new IllegalArgumentException("frame of " + len + " bytes at " + off);
    }
    int padded = (len + 3) & ~3;
    int total = 32 + padded;
    putInt(header, 0, EPB);
    putInt(header, 4, total);
    putInt(header, 8, 0); // interface 0
    putInt(header, 12, (int) (epochNanos >>> 32));
    putInt(header, 16, (int) epochNanos);
    putInt(header, 20, len);
    putInt(header, 24, len);
    out.write(header, 0, 28);
    out.write(frame, off, len);
    for (int i = len; i < padded; i++) {
      out.write(0);
    }
    putInt(header, 0, total);
    out.write(header, 0, 4);
    frames++;
  }

  @Override
  public synchronized void flush() throws IOException {
    if (!closed) {
      out.flush();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }

  private void writeSectionHeader(String application) throws IOException {
    byte[] opts = options(OPT_SHB_USERAPPL, application, -1);
    int total = 24 + opts.length + 4;
    byte[] b = new byte[total];
    putInt(b, 0, SHB);
    putInt(b, 4, total);
    putInt(b, 8, BYTE_ORDER_MAGIC);
    putShort(b, 12, 1); // version 1.0
    putShort(b, 14, 0);
    putInt(b, 16, -1); // section length unknown (64 bits of 0xFF)
    putInt(b, 20, -1);
    System.arraycopy(opts, 0, b, 24, opts.length);
    putInt(b, 24 + opts.length, total);
    out.write(b);
  }

  private void writeInterface(String name) throws IOException {
    byte[] opts = options(OPT_IF_NAME, name, 9); // if_tsresol 9: nanoseconds
    int total = 16 + opts.length + 4;
    byte[] b = new byte[total];
    putInt(b, 0, IDB);
    putInt(b, 4, total);
    putShort(b, 8, linkType);
    putShort(b, 10, 0);
    putInt(b, 12, MAX_FRAME); // snaplen
    System.arraycopy(opts, 0, b, 16, opts.length);
    putInt(b, 16 + opts.length, total);
    out.write(b);
  }

  /** An optional string option, an optional if_tsresol, then opt_endofopt. */
  private static byte[] options(int stringCode, String value, int tsresol) {
    byte[] s = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    int sLen = Math.min(s.length, 0xFFF0);
    int size = (value == null ? 0 : 4 + ((sLen + 3) & ~3)) + (tsresol >= 0 ? 8 : 0) + 4;
    byte[] b = new byte[size];
    int p = 0;
    if (value != null) {
      putShort(b, p, stringCode);
      putShort(b, p + 2, sLen);
      System.arraycopy(s, 0, b, p + 4, sLen);
      p += 4 + ((sLen + 3) & ~3);
    }
    if (tsresol >= 0) {
      putShort(b, p, OPT_IF_TSRESOL);
      putShort(b, p + 2, 1);
      b[p + 4] = (byte) tsresol;
      p += 8;
    }
    putShort(b, p, OPT_END);
    putShort(b, p + 2, 0);
    return b;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }

  private static void putShort(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
  }
}
