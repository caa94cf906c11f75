package io.tdsagent.testutil;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A one-connection TDS server on loopback that answers each complete client message with whatever
 * {@code responder} returns (whole TDS packets), and records both directions in order, so a real
 * driver's bytes can be replayed into the decoder.
 */
public final class FakeTdsServer implements AutoCloseable {

  /** One chunk as it crossed the socket. */
  public static final class Chunk {
    public final boolean fromClient;
    public final byte[] bytes;

    Chunk(boolean fromClient, byte[] bytes) {
      this.fromClient = fromClient;
      this.bytes = bytes;
    }
  }

  /** A complete client message: packet type and concatenated payloads. */
  public static final class Message {
    public final int type;
    public final byte[] payload;

    Message(int type, byte[] payload) {
      this.type = type;
      this.payload = payload;
    }
  }

  private final ServerSocket socket;
  private final Thread thread;
  private final List<Chunk> chunks = Collections.synchronizedList(new ArrayList<>());
  private final List<Message> received = Collections.synchronizedList(new ArrayList<>());
  private volatile Throwable failure;

  public FakeTdsServer(Function<Message, byte[]> responder) throws IOException {
    socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    thread = new Thread(() -> serve(responder), "fake-tds");
    thread.setDaemon(true);
    thread.start();
  }

  public int port() {
    return socket.getLocalPort();
  }

  private void serve(Function<Message, byte[]> responder) {
    try (Socket s = socket.accept()) {
      s.setSoTimeout(10_000);
      DataInputStream in = new DataInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      ByteArrayOutputStream payload = new ByteArrayOutputStream();
      while (true) {
        byte[] header = new byte[8];
        if (!readFully(in, header)) {
          return;
        }
        int len = (header[2] & 0xFF) << 8 | (header[3] & 0xFF);
        byte[] body = new byte[len - 8];
        if (!readFully(in, body)) {
          return;
        }
        chunks.add(new Chunk(true, TdsBytes.concat(header, body)));
        payload.writeBytes(body);
        if ((header[1] & 1) != 0) {
          Message m = new Message(header[0] & 0xFF, payload.toByteArray());
          payload.reset();
          received.add(m);
          byte[] reply = responder.apply(m);
          if (reply == null) {
            return;
          }
          chunks.add(new Chunk(false, reply));
          out.write(reply);
          out.flush();
        }
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  private static boolean readFully(InputStream in, byte[] b) throws IOException {
    int off = 0;
    while (off < b.length) {
      int n = in.read(b, off, b.length - off);
      if (n < 0) {
        return false;
      }
      off += n;
    }
    return true;
  }

  public List<Chunk> chunks() {
    synchronized (chunks) {
      return new ArrayList<>(chunks);
    }
  }

  public List<Message> received() {
    synchronized (received) {
      return new ArrayList<>(received);
    }
  }

  public Throwable failure() {
    return failure;
  }

  @Override
  public void close() throws Exception {
    socket.close();
    thread.join(5000);
  }
}
