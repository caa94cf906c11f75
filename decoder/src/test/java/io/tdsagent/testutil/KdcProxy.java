package io.tdsagent.testutil;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A TCP relay in front of a KDC (RFC 4120 7.2.2 framing: 4-byte length, message) that keeps every
 * reply, so the tests get the real KRB-ERROR bytes a KDC sends.
 */
public final class KdcProxy implements AutoCloseable {
  private final ServerSocket socket;
  private final int kdcPort;
  private final List<byte[]> replies = Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;

  public KdcProxy(int kdcPort) throws IOException {
    this.kdcPort = kdcPort;
    socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    thread = new Thread(this::run, "kdc-proxy");
    thread.setDaemon(true);
    thread.start();
  }

  public int port() {
    return socket.getLocalPort();
  }

  private void run() {
    while (!socket.isClosed()) {
      try (Socket c = socket.accept();
          Socket k = new Socket(InetAddress.getLoopbackAddress(), kdcPort)) {
        c.setSoTimeout(10_000);
        k.setSoTimeout(10_000);
        byte[] req = read(new DataInputStream(c.getInputStream()));
        write(new DataOutputStream(k.getOutputStream()), req);
        byte[] rep = read(new DataInputStream(k.getInputStream()));
        replies.add(rep);
        write(new DataOutputStream(c.getOutputStream()), rep);
      } catch (IOException e) {
        // closed, or a client gave up: next connection
      }
    }
  }

  private static byte[] read(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }

  private static void write(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
    out.flush();
  }

  /** KDC replies so far (AS-REP, TGS-REP, KRB-ERROR), bare DER. */
  public List<byte[]> replies() {
    synchronized (replies) {
      return new ArrayList<>(replies);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
