package io.tdsagent.testutil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-built TDS bytes for tests. */
public final class TdsBytes {
  private TdsBytes() {}

  public static byte[] packet(int type, int status, byte[] payload) {
    return packet(type, status, payload, 0, payload.length, 1);
  }

  public static byte[] packet(
      int type, int status, byte[] payload, int off, int len, int packetId) {
    byte[] p = new byte[8 + len];
    p[0] = (byte) type;
    p[1] = (byte) status;
    p[2] = (byte) ((8 + len) >> 8);
    p[3] = (byte) (8 + len);
    p[4] = 0;
    p[5] = 0x33;
    p[6] = (byte) packetId;
    p[7] = 0;
    System.arraycopy(payload, off, p, 8, len);
    return p;
  }

  /** A message split into packets of at most maxPacket bytes (header included), EOM on the last. */
  public static byte[] message(int type, byte[] payload, int maxPacket) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int chunk = maxPacket - 8;
    int id = 1;
    int off = 0;
    do {
      int n = Math.min(chunk, payload.length - off);
      boolean last = off + n >= payload.length;
      out.writeBytes(packet(type, last ? 1 : 0, payload, off, n, id++));
      off += n;
    } while (off < payload.length);
    return out.toByteArray();
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  public static byte[] utf16(String s) {
    return s.getBytes(StandardCharsets.UTF_16LE);
  }

  public static byte[] hex(String h) {
    h = h.replaceAll("\\s", "");
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  /** Little-endian writer for building payloads. */
  public static final class Out {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Out u8(int v) {
      out.write(v);
      return this;
    }

    public Out u16le(int v) {
      out.write(v);
      out.write(v >> 8);
      return this;
    }

    public Out u16be(int v) {
      out.write(v >> 8);
      out.write(v);
      return this;
    }

    public Out u32le(long v) {
      u16le((int) v);
      return u16le((int) (v >> 16));
    }

    public Out u32be(long v) {
      u16be((int) (v >> 16));
      return u16be((int) v);
    }

    public Out u64le(long v) {
      u32le(v);
      return u32le(v >>> 32);
    }

    public Out bytes(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    public Out bVarchar(String s) {
      u8(s.length());
      return bytes(utf16(s));
    }

    public Out usVarchar(String s) {
      u16le(s.length());
      return bytes(utf16(s));
    }

    public int size() {
      return out.size();
    }

    public byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  // ---- tokens ----

  public static byte[] envChangeString(int type, String newV, String oldV) {
    byte[] body = new Out().u8(type).bVarchar(newV).bVarchar(oldV).toByteArray();
    return new Out().u8(0xE3).u16le(body.length).bytes(body).toByteArray();
  }

  public static byte[] serverMessage(
      boolean error, long number, int state, int cls, String msg, String server) {
    byte[] body =
        new Out()
            .u32le(number)
            .u8(state)
            .u8(cls)
            .usVarchar(msg)
            .bVarchar(server)
            .bVarchar("")
            .u32le(1)
            .toByteArray();
    return new Out().u8(error ? 0xAA : 0xAB).u16le(body.length).bytes(body).toByteArray();
  }

  public static byte[] loginAck(int tdsVersion, String prog, int major, int minor, int hi, int lo) {
    byte[] body =
        new Out()
            .u8(1)
            .u32be(tdsVersion)
            .bVarchar(prog)
            .u8(major)
            .u8(minor)
            .u8(hi)
            .u8(lo)
            .toByteArray();
    return new Out().u8(0xAD).u16le(body.length).bytes(body).toByteArray();
  }

  public static byte[] done(int type, int status, int curCmd, long rows) {
    return new Out().u8(type).u16le(status).u16le(curCmd).u64le(rows).toByteArray();
  }

  public static byte[] routing(String server, int port) {
    byte[] value = new Out().u8(0).u16le(port).usVarchar(server).toByteArray();
    byte[] body = new Out().u8(20).u16le(value.length).bytes(value).u16le(0).toByteArray();
    return new Out().u8(0xE3).u16le(body.length).bytes(body).toByteArray();
  }

  // ---- PRELOGIN ----

  /** A PRELOGIN payload with VERSION and ENCRYPTION (and optionally INSTOPT, THREADID, MARS). */
  public static byte[] prelogin(int major, int minor, int build, int encryption) {
    byte[][] data = {
      new Out().u8(major).u8(minor).u16be(build).u16be(0).toByteArray(), {(byte) encryption},
    };
    int[] tokens = {0, 1};
    return preloginOptions(tokens, data);
  }

  public static byte[] preloginOptions(int[] tokens, byte[][] data) {
    int table = tokens.length * 5 + 1;
    Out head = new Out();
    Out body = new Out();
    for (int i = 0; i < tokens.length; i++) {
      head.u8(tokens[i]).u16be(table + body.size()).u16be(data[i].length);
      body.bytes(data[i]);
    }
    head.u8(0xFF);
    return head.bytes(body.toByteArray()).toByteArray();
  }
}
