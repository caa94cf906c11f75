package io.tdsagent.testutil;

/** Hand-built SMP packets (MC-SMP 2.2). */
public final class SmpBytes {
  private SmpBytes() {}

  public static byte[] header(int flags, int sid, long length, long seq, long wndw) {
    return new TdsBytes.Out()
        .u8(0x53)
        .u8(flags)
        .u16le(sid)
        .u32le(length)
        .u32le(seq)
        .u32le(wndw)
        .toByteArray();
  }

  public static byte[] syn(int sid, long wndw) {
    return header(0x01, sid, 16, 0, wndw);
  }

  public static byte[] ack(int sid, long seq, long wndw) {
    return header(0x02, sid, 16, seq, wndw);
  }

  public static byte[] fin(int sid, long seq, long wndw) {
    return header(0x04, sid, 16, seq, wndw);
  }

  public static byte[] data(int sid, long seq, long wndw, byte[] payload) {
    return TdsBytes.concat(header(0x08, sid, 16 + payload.length, seq, wndw), payload);
  }
}
