package io.tdsagent.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A TCP proxy on loopback between a driver and a server that injects one {@link Fault} into every
 * connection it carries, at a byte offset of one direction's stream. It also notes, per direction,
 * where each TDS packet header starts for as long as the stream parses as TDS (until TLS records
 * take over), so that a test can aim its faults at a message. Test code: every socket and thread it
 * makes ends with the connection or at {@link #close()}.
 */
public final class FaultProxy implements AutoCloseable {
  public enum Kind {
    NONE,
    CUT,
    RST,
    GARBAGE,
    LENGTH,
    STALL,
    ONE_BYTE,
    DUPLICATE
  }

  /** What to do, in which direction, from which byte of that direction's stream. */
  public static final class Fault {
    final String name;
    final Kind kind;
    final boolean fromServer;
    final long at;
    final int value;

    private Fault(String name, Kind kind, boolean fromServer, long at, int value) {
      this.name = name;
      this.kind = kind;
      this.fromServer = fromServer;
      this.at = at;
      this.value = value;
    }

    public static Fault none() {
      return new Fault("none", Kind.NONE, false, Long.MAX_VALUE, 0);
    }

    /** Both sockets closed (FIN) once {@code at} bytes went through. */
    public static Fault cut(String name, boolean fromServer, long at) {
      return new Fault(name, Kind.CUT, fromServer, at, 0);
    }

    /** Both sockets reset (RST: linger 0) once {@code at} bytes went through. */
    public static Fault rst(String name, boolean fromServer, long at) {
      return new Fault(name, Kind.RST, fromServer, at, 0);
    }

    /** 16 bytes that were never sent inserted before byte {@code at}. */
    public static Fault garbage(String name, boolean fromServer, long at) {
      return new Fault(name, Kind.GARBAGE, fromServer, at, 0);
    }

    /** The TDS packet header at {@code at} says its length is {@code length}. */
    public static Fault length(String name, boolean fromServer, long at, int length) {
      return new Fault(name, Kind.LENGTH, fromServer, at, length);
    }

    /**
     * Nothing more goes through in either direction once {@code at} bytes went through, until a
     * peer closes.
     */
    public static Fault stall(String name, boolean fromServer, long at) {
      return new Fault(name, Kind.STALL, fromServer, at, 0);
    }

    /** Every byte of both directions written (and sent: no delay) on its own. */
    public static Fault oneByte() {
      return new Fault("1-byte chunks", Kind.ONE_BYTE, false, Long.MAX_VALUE, 0);
    }

    /** The {@code length} bytes from {@code at} (a packet) sent twice. */
    public static Fault duplicate(String name, boolean fromServer, long at, int length) {
      return new Fault(name, Kind.DUPLICATE, fromServer, at, length);
    }

    public String name() {
      return name;
    }

    public Kind kind() {
      return kind;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A TDS packet header seen in one direction: where it starts, its type, status and length. */
  public static final class Packet {
    public final long offset;
    public final int type;
    public final int status;
    public final int length;

    Packet(long offset, int type, int status, int length) {
      this.offset = offset;
      this.type = type;
      this.status = status;
      this.length = length;
    }

    @Override
    public String toString() {
      return String.format("%d:0x%02X/%d", offset, type, length);
    }
  }

  private final ServerSocket listener;
  private final int targetPort;
  private final Fault fault;
  private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
  private final List<Packet> clientPackets = Collections.synchronizedList(new ArrayList<>());
  private final List<Packet> serverPackets = Collections.synchronizedList(new ArrayList<>());
  private volatile long clientBytes;
  private volatile long serverBytes;
  private volatile boolean closed;

  public FaultProxy(int targetPort, Fault fault) throws IOException {
    this.targetPort = targetPort;
    this.fault = fault;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "fault-proxy-" + port());
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  public Fault fault() {
    return fault;
  }

  /**
   * TDS packet headers of the last connection's client stream, up to where it stopped parsing as
   * TDS.
   */
  public List<Packet> clientPackets() {
    return new ArrayList<>(clientPackets);
  }

  public List<Packet> serverPackets() {
    return new ArrayList<>(serverPackets);
  }

  /** Bytes the last connection's client sent (before any fault). */
  public long clientBytes() {
    return clientBytes;
  }

  public long serverBytes() {
    return serverBytes;
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        for (Socket s : new Socket[] {client, server}) {
          s.setTcpNoDelay(true);
          sockets.add(s);
        }
        clientPackets.clear();
        serverPackets.clear();
        Conn c = new Conn(client, server);
        start(() -> c.pump(false), "c2s");
        start(() -> c.pump(true), "s2c");
      } catch (IOException e) {
        if (!closed) {
          continue;
        }
        return;
      }
    }
  }

  private void start(Runnable r, String name) {
    Thread t = new Thread(r, "fault-proxy-" + port() + "-" + name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing
    }
    synchronized (sockets) {
      for (Socket s : sockets) {
        quietClose(s);
      }
    }
  }

  private static void quietClose(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  private final class Conn {
    final Socket client;
    final Socket server;
    volatile boolean stalled;

    Conn(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void pump(boolean fromServer) {
      Socket src = fromServer ? server : client;
      Socket dst = fromServer ? client : server;
      boolean mine = fault.fromServer == fromServer;
      List<Packet> packets = fromServer ? serverPackets : clientPackets;
      ByteArrayOutputStream dup = new ByteArrayOutputStream();
      byte[] header = new byte[8];
      int headerFill = 0;
      long nextHeader = 0;
      boolean tds = true;
      long pos = 0;
      try {
        InputStream in = src.getInputStream();
        OutputStream out = dst.getOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
          // note the packet headers (for aiming), on the bytes as the peer sent them
          for (int i = 0; i < n && tds; i++) {
            long p = pos + i;
            if (p >= nextHeader && p < nextHeader + 8) {
              header[headerFill++] = buf[i];
              if (headerFill == 8) {
                int type = header[0] & 0xFF;
                int len = (header[2] & 0xFF) << 8 | (header[3] & 0xFF);
                tds =
                    len >= 8
                        && (type == 0x01
                            || type == 0x02
                            || type == 0x03
                            || type == 0x04
                            || type == 0x06
                            || type == 0x07
                            || type == 0x0E
                            || type == 0x10
                            || type == 0x11
                            || type == 0x12);
                if (tds) {
                  packets.add(new Packet(nextHeader, type, header[1] & 0xFF, len));
                  nextHeader += len;
                }
                headerFill = 0;
              }
            }
          }
          if (fromServer) {
            serverBytes = pos + n;
          } else {
            clientBytes = pos + n;
          }
          if (stalled) {
            pos += n;
            continue;
          }
          if (fault.kind == Kind.ONE_BYTE) {
            for (int i = 0; i < n; i++) {
              out.write(buf, i, 1);
              out.flush();
            }
            pos += n;
            continue;
          }
          if (!mine
              || fault.kind == Kind.NONE
              || pos + n <= fault.at && fault.kind != Kind.LENGTH
              || fault.kind == Kind.DUPLICATE && pos >= fault.at + fault.value) {
            if (fault.kind == Kind.LENGTH && mine) {
              patchLength(buf, n, pos);
            }
            out.write(buf, 0, n);
            pos += n;
            continue;
          }
          int k = (int) Math.max(0, Math.min(n, fault.at - pos)); // bytes before the fault point
          switch (fault.kind) {
            case CUT:
              out.write(buf, 0, k);
              out.flush();
              quietClose(client);
              quietClose(server);
              return;
            case RST:
              out.write(buf, 0, k);
              out.flush();
              for (Socket s : new Socket[] {client, server}) {
                try {
                  s.setSoLinger(true, 0);
                } catch (IOException ignored) {
                  // already closed
                }
                quietClose(s);
              }
              return;
            case GARBAGE:
              out.write(buf, 0, k);
              if (pos + k == fault.at) {
                byte[] junk = new byte[16];
                for (int i = 0; i < junk.length; i++) {
                  junk[i] = (byte) (0xA5 ^ i * 37);
                }
                out.write(junk);
              }
              out.write(buf, k, n - k);
              break;
            case LENGTH:
              patchLength(buf, n, pos);
              out.write(buf, 0, n);
              break;
            case STALL:
              out.write(buf, 0, k);
              out.flush();
              stalled = true;
              break;
            case DUPLICATE:
              {
                out.write(buf, 0, n);
                long from = Math.max(pos, fault.at);
                long to = Math.min(pos + n, fault.at + fault.value);
                if (from < to) {
                  dup.write(buf, (int) (from - pos), (int) (to - from));
                }
                if (pos + n >= fault.at + fault.value) {
                  out.write(dup.toByteArray());
                }
                break;
              }
            default:
              out.write(buf, 0, n);
          }
          pos += n;
        }
      } catch (IOException e) {
        // a peer went away: so does the other
      }
      quietClose(client);
      quietClose(server);
    }

    /** Bytes 2 and 3 of the header at fault.at (big-endian length), wherever the reads cut them. */
    private void patchLength(byte[] buf, int n, long pos) {
      for (int i = 2; i <= 3; i++) {
        long p = fault.at + i;
        if (p >= pos && p < pos + n) {
          buf[(int) (p - pos)] = (byte) (i == 2 ? fault.value >> 8 : fault.value);
        }
      }
    }
  }
}
