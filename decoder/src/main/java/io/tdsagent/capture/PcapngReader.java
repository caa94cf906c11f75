package io.tdsagent.capture;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** pcapng (draft-ietf-opsawg-pcapng): sections, interfaces, enhanced and simple packet blocks. */
final class PcapngReader extends CaptureReader {
  private static final int SHB = 0x0A0D0D0A;
  private static final int IDB = 1;
  private static final int SPB = 3;
  private static final int EPB = 6;
  private static final int OPT_IF_TSRESOL = 9;

  /** Body bytes before the packet data: interface, timestamp (2), captured and original length. */
  private static final int EPB_FIXED = 20;

  /** Body bytes before the packet data: original length. */
  private static final int SPB_FIXED = 4;

  /**
   * Per interface of the current section: link type and nanoseconds per timestamp unit (or
   * -exponent).
   */
  private final List<int[]> interfaces = new ArrayList<>();

  private final List<long[]> resolutions = new ArrayList<>();
  private boolean littleEndian;
  private boolean pendingShb = true;

  PcapngReader(DataInputStream in) {
    super(in);
  }

  @Override
  public CapturedFrame next() throws IOException {
    while (true) {
      byte[] typeBytes;
      if (pendingShb) {
        pendingShb = false;
        typeBytes = new byte[] {0x0A, 0x0D, 0x0D, 0x0A};
      } else {
        typeBytes = readOrEof(4);
        if (typeBytes == null) {
          return null;
        }
      }
      int typeBe = u32(typeBytes, 0, false);
      if (typeBe == SHB) {
        readSectionHeader();
        continue;
      }
      int type = u32(typeBytes, 0, littleEndian);
      byte[] lenBytes = readOrEof(4);
      if (lenBytes == null) {
        throw new CaptureFormatException("pcapng block truncated");
      }
      int total = u32(lenBytes, 0, littleEndian);
      if (total < 12 || total > MAX_FRAME + 64 || total % 4 != 0) {
        throw new CaptureFormatException("pcapng block length " + total);
      }
      byte[] body = readOrEof(total - 8); // body + trailing length
      if (body == null) {
        throw new CaptureFormatException("pcapng block truncated");
      }
      int bodyLen = total - 12;
      switch (type) {
        case IDB:
          readInterface(body, bodyLen);
          break;
        case EPB:
          {
            if (bodyLen < EPB_FIXED) {
              throw new CaptureFormatException("pcapng EPB length " + total);
            }
            int iface = u32(body, 0, littleEndian);
            long hi = u32(body, 4, littleEndian) & 0xFFFFFFFFL;
            long lo = u32(body, 8, littleEndian) & 0xFFFFFFFFL;
            int capLen = u32(body, 12, littleEndian);
            int origLen = u32(body, 16, littleEndian);
            if (iface < 0
                || iface >= interfaces.size()
                || capLen < 0
                || capLen > bodyLen - EPB_FIXED) {
              throw new CaptureFormatException("pcapng EPB inconsistent");
            }
            byte[] data = new byte[capLen];
            System.arraycopy(body, EPB_FIXED, data, 0, capLen);
            return new CapturedFrame(
                interfaces.get(iface)[0],
                toNanos(hi << 32 | lo, resolutions.get(iface)),
                data,
                origLen);
          }
        case SPB:
          {
            if (interfaces.isEmpty()) {
              throw new CaptureFormatException("pcapng SPB before any IDB");
            }
            if (bodyLen < SPB_FIXED) {
              throw new CaptureFormatException("pcapng SPB length " + total);
            }
            int origLen = u32(body, 0, littleEndian);
            int capLen = Math.min(origLen, bodyLen - SPB_FIXED);
            int snap = interfaces.get(0)[1];
            if (snap > 0) {
              capLen = Math.min(capLen, snap);
            }
            byte[] data = new byte[Math.max(0, capLen)];
            System.arraycopy(body, SPB_FIXED, data, 0, data.length);
            return new CapturedFrame(
                interfaces.get(0)[0], 0L, data, origLen); // SPB has no timestamp
          }
        default:
          break; // NRB, ISB, DSB, custom...
      }
    }
  }

  private void readSectionHeader() throws IOException {
    byte[] lenBytes = readOrEof(4);
    byte[] bom = readOrEof(4);
    if (lenBytes == null || bom == null) {
      throw new CaptureFormatException("pcapng section header truncated");
    }
    if (u32(bom, 0, false) == 0x1A2B3C4D) {
      littleEndian = false;
    } else if (u32(bom, 0, true) == 0x1A2B3C4D) {
      littleEndian = true;
    } else {
      throw new CaptureFormatException("pcapng byte-order magic missing");
    }
    int total = u32(lenBytes, 0, littleEndian);
    if (total < 28 || total > MAX_FRAME || total % 4 != 0) {
      throw new CaptureFormatException("pcapng section header length " + total);
    }
    if (readOrEof(total - 12) == null) {
      throw new CaptureFormatException("pcapng section header truncated");
    }
    interfaces.clear();
    resolutions.clear();
  }

  private void readInterface(byte[] body, int bodyLen) throws CaptureFormatException {
    if (bodyLen < 8) {
      throw new CaptureFormatException("pcapng IDB too short");
    }
    int linkType = u16(body, 0, littleEndian);
    int snap = u32(body, 4, littleEndian);
    long[] res = {1000L, 0}; // default: microseconds
    int p = 8;
    while (p + 4 <= bodyLen) {
      int code = u16(body, p, littleEndian);
      int len = u16(body, p + 2, littleEndian);
      if (code == 0) {
        break;
      }
      if (code == OPT_IF_TSRESOL && len >= 1 && p + 4 < bodyLen) {
        int v = body[p + 4] & 0xFF;
        res = (v & 0x80) == 0 ? new long[] {0, v} : new long[] {0, -(v & 0x7F)};
      }
      p += 4 + ((len + 3) & ~3);
    }
    interfaces.add(new int[] {linkType, snap});
    resolutions.add(res);
  }

  /** res = {nanosPerUnit, 0} or {0, decimalExponent} or {0, -binaryExponent}. */
  private static long toNanos(long ts, long[] res) {
    if (res[0] != 0) {
      return ts * res[0];
    }
    long e = res[1];
    if (e >= 0) {
      if (e <= 9) {
        long mul = 1;
        for (int i = 0; i < 9 - e; i++) {
          mul *= 10;
        }
        return ts * mul;
      }
      long div = 1;
      for (int i = 0; i < e - 9 && i < 18; i++) {
        div *= 10;
      }
      return ts / div;
    }
    int bits = (int) -e;
    // ts / 2^bits seconds
    long secs = bits >= 63 ? 0 : ts >>> bits;
    long frac = bits >= 63 ? ts : ts & ((1L << bits) - 1);
    return secs * 1_000_000_000L + (long) (frac * (1e9 / Math.pow(2, bits)));
  }
}
