package io.tdsagent.capture;

/** One TCP connection found in a capture, with its client and server ends. */
public final class TcpConnection {
  private final int id;
  private final String client;
  private final String server;

  TcpConnection(int id, String client, String server) {
    this.id = id;
    this.client = client;
    this.server = server;
  }

  /** Order of first appearance in the capture, from 0. */
  public int id() {
    return id;
  }

  /** "addr:port" of the client. */
  public String client() {
    return client;
  }

  public String server() {
    return server;
  }

  @Override
  public String toString() {
    return "TcpConnection#" + id + "{" + client + " -> " + server + '}';
  }
}
