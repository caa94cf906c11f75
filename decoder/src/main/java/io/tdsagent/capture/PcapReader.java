package io.tdsagent.capture;

import java.io.DataInputStream;
import java.io.IOException;

/** Classic libpcap format. */
final class PcapReader extends CaptureReader {
  private final boolean littleEndian;
  private final boolean nanos;
  private final int linkType;

  PcapReader(DataInputStream in, boolean littleEndian, boolean nanos) throws IOException {
    super(in);
    this.littleEndian = littleEndian;
    this.nanos = nanos;
    byte[] rest = readOrEof(20); // version, thiszone, sigfigs, snaplen, network
    if (rest == null) {
      throw new CaptureFormatException("pcap header truncated");
    }
    this.linkType = u32(rest, 16, littleEndian) & 0x0FFFFFFF; // upper bits may carry FCS info
  }

  @Override
  public CapturedFrame next() throws IOException {
    byte[] h = readOrEof(16);
    if (h == null) {
      return null;
    }
    long sec = u32(h, 0, littleEndian) & 0xFFFFFFFFL;
    long frac = u32(h, 4, littleEndian) & 0xFFFFFFFFL;
    int inclLen = u32(h, 8, littleEndian);
    int origLen = u32(h, 12, littleEndian);
    if (inclLen < 0 || inclLen > MAX_FRAME) {
      throw new CaptureFormatException("pcap record of " + inclLen + " bytes");
    }
    byte[] data = readOrEof(inclLen);
    if (data == null) {
      throw new CaptureFormatException("pcap record truncated");
    }
    long ts = sec * 1_000_000_000L + (nanos ? frac : frac * 1000L);
    return new CapturedFrame(linkType, ts, data, origLen);
  }
}
