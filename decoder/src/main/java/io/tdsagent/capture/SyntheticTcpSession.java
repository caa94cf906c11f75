package io.tdsagent.capture;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One TCP connection made up for bytes that were seen above the socket (inside a driver, after
 * TLS): a three-way handshake, each chunk as one or more segments with the sequence and
 * acknowledgement numbers a real stack would use, and a FIN exchange at the end, written as
 * Ethernet frames through a {@link PcapngWriter}. IPv4 and TCP checksums are computed, so
 * Wireshark's validation passes if enabled.
 *
 * <p>Thread-safe (each method locks the session); sessions sharing a writer interleave frame by
 * frame.
 */
public final class SyntheticTcpSession {
  /** Largest payload per segment: chunks above it are split. */
  public static final int MAX_SEGMENT = 65_000;

  private static final int FIN = 0x01;
  private static final int SYN = 0x02;
  private static final int PSH = 0x08;
  private static final int ACK = 0x10;
  private static final long CLIENT_ISN = 0x10000000L;
  private static final long SERVER_ISN = 0x20000000L;
  private static final byte[] CLIENT_MAC = {0x02, 0, 0, 0, 0, 0x01};
  private static final byte[] SERVER_MAC = {0x02, 0, 0, 0, 0, 0x02};

  private final PcapngWriter writer;
  private final byte[] clientAddr;
  private final byte[] serverAddr;
  private final int clientPort;
  private final int serverPort;
  private final boolean v6;
  private final byte[] frame;
  private long clientSeq = CLIENT_ISN;
  private long serverSeq = SERVER_ISN;
  private int ipId;
  private boolean opened;
  private boolean closed;

  /**
   * @param client the client's address; when its family differs from the server's, the loopback
   *     address of the server's family stands in for it
   */
  public SyntheticTcpSession(
      PcapngWriter writer, InetAddress client, int clientPort, InetAddress server, int serverPort) {
    if (writer.linkType() != FrameDissector.LINKTYPE_ETHERNET) {
      throw new IllegalArgumentException("synthetic sessions write Ethernet frames");
    }
    this.writer = writer;
    this.v6 = server instanceof Inet6Address;
    this.serverAddr = server.getAddress();
    this.clientAddr =
        client != null && (client instanceof Inet6Address) == v6
            ? client.getAddress()
            : loopback(v6);
    this.clientPort = clientPort & 0xFFFF;
    this.serverPort = serverPort & 0xFFFF;
    this.frame = new byte[14 + (v6 ? 40 : 20) + 20 + MAX_SEGMENT];
  }

  private static byte[] loopback(boolean v6) {
    try {
      return (v6 ? InetAddress.getByName("::1") : InetAddress.getByName("127.0.0.1")).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  public int clientPort() {
    return clientPort;
  }

  public int serverPort() {
    return serverPort;
  }

  /**
   * The three-way handshake: SYN at {@code synNanos}, SYN-ACK and ACK at {@code establishedNanos}.
   */
  public synchronized void open(long synNanos, long establishedNanos) throws IOException {
    if (opened || closed) {
      return;
    }
    opened = true;
    segment(true, SYN, clientSeq, 0, null, 0, 0, synNanos);
    clientSeq++;
    segment(false, SYN | ACK, serverSeq, clientSeq, null, 0, 0, establishedNanos);
    serverSeq++;
    segment(true, ACK, clientSeq, serverSeq, null, 0, 0, establishedNanos);
  }

  /** Bytes one side sent, at {@code epochNanos}; the handshake is written first if it was not. */
  public synchronized void data(boolean fromClient, byte[] b, int off, int len, long epochNanos)
      throws IOException {
    if (closed || len <= 0) {
      return;
    }
    if (!opened) {
      open(epochNanos, epochNanos);
    }
    for (int p = off; p < off + len; p += MAX_SEGMENT) {
      int n = Math.min(MAX_SEGMENT, off + len - p);
      if (fromClient) {
        segment(true, PSH | ACK, clientSeq, serverSeq, b, p, n, epochNanos);
        clientSeq = (clientSeq + n) & 0xFFFFFFFFL;
      } else {
        segment(false, PSH | ACK, serverSeq, clientSeq, b, p, n, epochNanos);
        serverSeq = (serverSeq + n) & 0xFFFFFFFFL;
      }
    }
  }

  /**
   * Bytes one side sent that are not in the capture: the sequence moves on, so readers see the gap.
   */
  public synchronized void skip(boolean fromClient, long n) {
    if (fromClient) {
      clientSeq = (clientSeq + n) & 0xFFFFFFFFL;
    } else {
      serverSeq = (serverSeq + n) & 0xFFFFFFFFL;
    }
  }

  /** The client closes: FIN from each side, then the client's last ACK. */
  public synchronized void close(long epochNanos) throws IOException {
    if (closed) {
      return;
    }
    if (!opened) {
      closed = true;
      return;
    }
    closed = true;
    segment(true, FIN | ACK, clientSeq, serverSeq, null, 0, 0, epochNanos);
    clientSeq = (clientSeq + 1) & 0xFFFFFFFFL;
    segment(false, FIN | ACK, serverSeq, clientSeq, null, 0, 0, epochNanos);
    serverSeq = (serverSeq + 1) & 0xFFFFFFFFL;
    segment(true, ACK, clientSeq, serverSeq, null, 0, 0, epochNanos);
  }

  private void segment(
      boolean fromClient, int flags, long seq, long ack, byte[] b, int off, int len, long ts)
      throws IOException {
    byte[] f = frame;
    byte[] src = fromClient ? clientAddr : serverAddr;
    byte[] dst = fromClient ? serverAddr : clientAddr;
    System.arraycopy(fromClient ? SERVER_MAC : CLIENT_MAC, 0, f, 0, 6);
    System.arraycopy(fromClient ? CLIENT_MAC : SERVER_MAC, 0, f, 6, 6);
    put16(f, 12, v6 ? 0x86DD : 0x0800);
    int ip = 14;
    int tcpLen = 20 + len;
    int tcp;
    if (v6) {
      f[ip] = 0x60;
      f[ip + 1] = 0;
      f[ip + 2] = 0;
      f[ip + 3] = 0;
      put16(f, ip + 4, tcpLen);
      f[ip + 6] = 6; // next header: TCP
      f[ip + 7] = 64; // hop limit
      System.arraycopy(src, 0, f, ip + 8, 16);
      System.arraycopy(dst, 0, f, ip + 24, 16);
      tcp = ip + 40;
    } else {
      f[ip] = 0x45;
      f[ip + 1] = 0;
      put16(f, ip + 2, 20 + tcpLen);
      put16(f, ip + 4, ipId++ & 0xFFFF);
      put16(f, ip + 6, 0x4000); // DF
      f[ip + 8] = 64; // TTL
      f[ip + 9] = 6; // TCP
      put16(f, ip + 10, 0);
      System.arraycopy(src, 0, f, ip + 12, 4);
      System.arraycopy(dst, 0, f, ip + 16, 4);
      put16(f, ip + 10, ~sum(f, ip, 20, 0) & 0xFFFF);
      tcp = ip + 20;
    }
    put16(f, tcp, fromClient ? clientPort : serverPort);
    put16(f, tcp + 2, fromClient ? serverPort : clientPort);
    put32(f, tcp + 4, seq);
    put32(f, tcp + 8, (flags & ACK) != 0 ? ack : 0);
    f[tcp + 12] = 0x50; // data offset 5 words, no options
    f[tcp + 13] = (byte) flags;
    put16(f, tcp + 14, 0xFFFF); // window
    put16(f, tcp + 16, 0);
    put16(f, tcp + 18, 0);
    if (len > 0) {
      System.arraycopy(b, off, f, tcp + 20, len);
    }
    // pseudo-header: addresses, protocol, TCP length
    long pseudo = sum(src, 0, src.length, 0);
    pseudo = sum(dst, 0, dst.length, pseudo);
    pseudo += 6 + (tcpLen & 0xFFFF) + (tcpLen >>> 16);
    put16(f, tcp + 16, ~sum(f, tcp, tcpLen, pseudo) & 0xFFFF);
    writer.writeFrame(ts, f, 0, tcp + tcpLen);
  }

  /** Ones'-complement sum of 16-bit big-endian words, folded. */
  private static int sum(byte[] b, int off, int len, long acc) {
    long s = acc;
    int end = off + (len & ~1);
    for (int i = off; i < end; i += 2) {
      s += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }
    if ((len & 1) != 0) {
      s += (b[off + len - 1] & 0xFF) << 8;
    }
    while ((s >>> 16) != 0) {
      s = (s & 0xFFFF) + (s >>> 16);
    }
    return (int) s;
  }

  private static void put16(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  private static void put32(byte[] b, int at, long v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
