package io.tdsagent.capture;

import java.util.Arrays;

/**
 * Peels link, network and transport headers off a frame down to TCP. Link types: Ethernet (with
 * 802.1Q/802.1ad tags), Linux cooked SLL and SLL2, BSD null/loopback (either byte order), raw IP.
 * IPv4 (unfragmented) and IPv6 (with the common extension headers). Anything else yields null.
 */
public final class FrameDissector {
  public static final int LINKTYPE_NULL = 0;
  public static final int LINKTYPE_ETHERNET = 1;

  /** OpenBSD loopback: the null header with the family in network byte order. */
  public static final int LINKTYPE_LOOP = 108;

  public static final int LINKTYPE_RAW = 101;
  public static final int LINKTYPE_LINUX_SLL = 113;
  public static final int LINKTYPE_LINUX_SLL2 = 276;

  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int ETHERTYPE_IPV6 = 0x86DD;
  private static final int ETHERTYPE_VLAN = 0x8100;
  private static final int ETHERTYPE_QINQ = 0x88A8;
  private static final int PROTO_TCP = 6;

  private FrameDissector() {}

  /** The TCP segment in this frame, or null if it holds none (or is malformed/truncated). */
  public static TcpSegment tcp(CapturedFrame f) {
    byte[] d = f.data();
    try {
      switch (f.linkType()) {
        case LINKTYPE_ETHERNET:
          {
            int p = 12;
            int etherType = u16(d, p);
            while (etherType == ETHERTYPE_VLAN || etherType == ETHERTYPE_QINQ) {
              p += 4;
              etherType = u16(d, p);
            }
            return byEtherType(etherType, d, p + 2, f.timestampNanos());
          }
        case LINKTYPE_LINUX_SLL:
          return byEtherType(u16(d, 14), d, 16, f.timestampNanos());
        case LINKTYPE_LINUX_SLL2:
          return byEtherType(u16(d, 0), d, 20, f.timestampNanos());
        case LINKTYPE_NULL:
        case LINKTYPE_LOOP:
          {
            // address family in the capturing host's byte order: accept either
            int fam = (d[0] & 0xFF) | (d[3] & 0xFF);
            if (fam == 2) {
              return ipv4(d, 4, f.timestampNanos());
            }
            if (fam == 24 || fam == 28 || fam == 30) {
              return ipv6(d, 4, f.timestampNanos());
            }
            return null;
          }
        case LINKTYPE_RAW:
        case 228: // LINKTYPE_IPV4
        case 229: // LINKTYPE_IPV6
          return ip(d, 0, f.timestampNanos());
        default:
          return null;
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      return null; // truncated frame
    }
  }

  private static TcpSegment byEtherType(int etherType, byte[] d, int p, long ts) {
    if (etherType == ETHERTYPE_IPV4) {
      return ipv4(d, p, ts);
    }
    if (etherType == ETHERTYPE_IPV6) {
      return ipv6(d, p, ts);
    }
    return null;
  }

  private static TcpSegment ip(byte[] d, int p, long ts) {
    int version = (d[p] & 0xFF) >> 4;
    return version == 4 ? ipv4(d, p, ts) : version == 6 ? ipv6(d, p, ts) : null;
  }

  private static TcpSegment ipv4(byte[] d, int p, long ts) {
    int ihl = (d[p] & 0x0F) * 4;
    int total = u16(d, p + 2);
    int fragment = u16(d, p + 6);
    if ((d[p] & 0xFF) >> 4 != 4
        || ihl < 20
        || (fragment & 0x3FFF) != 0
        || (d[p + 9] & 0xFF) != PROTO_TCP) {
      return null; // not IPv4/TCP, or a fragment (reassembly not supported)
    }
    // Ethernet pads short frames: the IP total length, not the frame, bounds the segment
    int end = Math.min(d.length, p + total);
    byte[] src = Arrays.copyOfRange(d, p + 12, p + 16);
    byte[] dst = Arrays.copyOfRange(d, p + 16, p + 20);
    return tcpHeader(d, p + ihl, end, src, dst, ts);
  }

  private static TcpSegment ipv6(byte[] d, int p, long ts) {
    if ((d[p] & 0xFF) >> 4 != 6) {
      return null;
    }
    int payloadLen = u16(d, p + 4);
    int next = d[p + 6] & 0xFF;
    byte[] src = Arrays.copyOfRange(d, p + 8, p + 24);
    byte[] dst = Arrays.copyOfRange(d, p + 24, p + 40);
    int end = Math.min(d.length, p + 40 + payloadLen);
    int q = p + 40;
    // hop-by-hop, routing, destination options: skip; fragments: give up
    while (next == 0 || next == 43 || next == 60) {
      next = d[q] & 0xFF;
      q += ((d[q + 1] & 0xFF) + 1) * 8;
    }
    return next == PROTO_TCP ? tcpHeader(d, q, end, src, dst, ts) : null;
  }

  private static TcpSegment tcpHeader(byte[] d, int p, int end, byte[] src, byte[] dst, long ts) {
    int srcPort = u16(d, p);
    int dstPort = u16(d, p + 2);
    long seq = ((long) u16(d, p + 4) << 16 | u16(d, p + 6)) & 0xFFFFFFFFL;
    int dataOffset = ((d[p + 12] & 0xFF) >> 4) * 4;
    int flags = d[p + 13] & 0x3F;
    if (dataOffset < 20 || p + dataOffset > end) {
      return null;
    }
    byte[] payload = Arrays.copyOfRange(d, p + dataOffset, end);
    return new TcpSegment(src, dst, srcPort, dstPort, seq, flags, payload, ts);
  }

  private static int u16(byte[] d, int p) {
    return (d[p] & 0xFF) << 8 | (d[p + 1] & 0xFF);
  }
}
