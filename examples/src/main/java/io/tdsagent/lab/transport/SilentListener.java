package io.tdsagent.lab.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A port on 127.0.0.1 whose TCP handshake never completes: a listener with a backlog of one that
 * never accepts, its accept queue filled by connections of its own, so the kernel drops every
 * further SYN and a client's connect waits for a SYN-ACK until it times out (the "network never
 * completes the three-way handshake" case, on loopback).
 */
public final class SilentListener implements AutoCloseable {
  private static final int FILL_ATTEMPTS = 32;
  private static final int FILL_CONNECT_TIMEOUT_MS = 300;

  private final ServerSocket server;
  private final List<Socket> fillers = new ArrayList<>();

  private SilentListener(ServerSocket server) {
    this.server = server;
  }

  /**
   * Binds {@code port} (0: a free one) and fills its accept queue; fails if the queue never fills.
   */
  public static SilentListener start(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1);
    SilentListener l = new SilentListener(s);
    try {
      l.fill();
    } catch (IOException | RuntimeException e) {
      l.close();
      throw e;
    }
    return l;
  }

  private void fill() throws IOException {
    InetSocketAddress target =
        new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    for (int i = 0; i < FILL_ATTEMPTS; i++) {
      Socket c = new Socket();
      try {
        c.connect(target, FILL_CONNECT_TIMEOUT_MS);
        fillers.add(c);
      } catch (SocketTimeoutException e) {
        c.close();
        return; // the queue is full: SYNs are dropped from now on
      }
    }
    throw new IOException(
        "the accept queue of 127.0.0.1:"
            + server.getLocalPort()
            + " did not fill after "
            + FILL_ATTEMPTS
            + " connections; connects to it would not hang");
  }

  public int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() {
    for (Socket c : fillers) {
      try {
        c.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
