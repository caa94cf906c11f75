package io.tdsagent.lab.smp;

import io.tdsagent.lab.transport.Transport;
import io.tdsagent.lab.wire.TdsProtocolException;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * One SMP session (SID) as the TDS layer sees it: a {@link Transport} whose reads are the client's
 * DATA payloads in order and whose every write is one DATA packet (the lab writes one TDS packet
 * per call, as SQL Server does and FreeTDS requires).
 *
 * <p>Flow control (MC-SMP 3.1.5): a write waits while the next SEQNUM would pass the window the
 * client granted (the WNDW of its last packet). Receiving, the server grants the client 4 packets
 * beyond the last one the TDS layer has consumed: on every DATA it sends, and with an ACK when the
 * client has 2 or fewer packets of window left while the server reads (a request of many packets).
 * The connection's window hold delays those ACKs, so the client stalls on purpose.
 *
 * <p>Closing: the client's FIN ends the reads (end of stream between messages); the server answers
 * with its own FIN when the session's handler returns, and sends nothing else on the SID after the
 * client's FIN (FreeTDS drops the connection if it gets anything but a FIN for an SID it has
 * closed).
 */
public final class SmpSession implements Transport {
  private final SmpConnection connection;
  private final int sid;

  // all guarded by this
  private final ArrayDeque<byte[]> received = new ArrayDeque<>();
  private byte[] current;
  private int position;

  /** SEQNUM of the client's last DATA (Session.SeqNumForRecv). */
  private long recvSeq;

  /** DATA packets handed to the TDS layer. */
  private long consumed;

  /** The window last granted to the client (HighWaterForRecv as sent). */
  private long granted = SmpHeader.INITIAL_WINDOW;

  /** Session.SeqNumForSend and HighWaterForSend. */
  private long sendSeq;

  private long sendWindow;
  private boolean peerFin;
  private boolean finSent;
  private boolean connectionClosed;

  SmpSession(SmpConnection connection, int sid, long synWindow) {
    this.connection = connection;
    this.sid = sid;
    this.sendWindow = synWindow;
  }

  public int sid() {
    return sid;
  }

  /** Whether the client has sent bytes of this session that the TDS layer has not read yet. */
  public synchronized boolean inputPending() {
    return (current != null && position < current.length) || !received.isEmpty();
  }

  // ---- from the connection's reading thread ----

  synchronized void received(SmpHeader h, byte[] payload) throws TdsProtocolException {
    if (peerFin) {
      throw new TdsProtocolException("SMP: DATA after FIN on SID " + sid);
    }
    if (h.seq != ((recvSeq + 1) & 0xFFFFFFFFL)) {
      throw new TdsProtocolException(
          "SMP: SID " + sid + " DATA SEQNUM " + h.seq + " after " + recvSeq);
    }
    if (SmpHeader.after(h.seq, granted)) {
      throw new TdsProtocolException(
          "SMP: SID " + sid + " DATA SEQNUM " + h.seq + " beyond the window " + granted);
    }
    recvSeq = h.seq;
    windowFromPeer(h.wndw);
    if (!finSent) {
      received.add(payload); // after the server's FIN nobody reads: dropped
    }
    notifyAll();
  }

  synchronized void peerWindow(long wndw) {
    windowFromPeer(wndw);
    notifyAll();
  }

  /** The client's FIN; true if the session is now closed both ways. */
  synchronized boolean finReceived(long wndw) throws TdsProtocolException {
    if (peerFin) {
      throw new TdsProtocolException("SMP: second FIN on SID " + sid);
    }
    windowFromPeer(wndw);
    peerFin = true;
    notifyAll();
    return finSent;
  }

  synchronized void connectionClosed() {
    connectionClosed = true;
    notifyAll();
  }

  private void windowFromPeer(long wndw) {
    if (!SmpHeader.after(sendWindow, wndw)) { // a window never shrinks; ignore one that would
      sendWindow = wndw;
    }
  }

  // ---- from the session's own thread ----

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    long ack = -1;
    long ackSeq;
    int n;
    synchronized (this) {
      while (current == null || position >= current.length) {
        byte[] next = received.poll();
        if (next != null) {
          current = next;
          position = 0;
          consumed++;
          if (!peerFin && granted - consumed <= 2) {
            ack = consumed + SmpHeader.INITIAL_WINDOW;
          }
        } else if (peerFin || connectionClosed) {
          return -1;
        } else {
          await();
        }
      }
      n = Math.min(len, current.length - position);
      System.arraycopy(current, position, b, off, n);
      position += n;
      ackSeq = sendSeq;
    }
    if (ack >= 0) {
      sendAck(ack, ackSeq);
    }
    return n;
  }

  private void sendAck(long window, long seq) throws IOException {
    long holdMs = connection.windowHold().toMillis();
    if (holdMs > 0) {
      try {
        Thread.sleep(holdMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while holding a window update");
      }
    }
    synchronized (this) {
      if (peerFin || finSent || connectionClosed || !SmpHeader.after(window, granted)) {
        return;
      }
      granted = window;
    }
    connection.send(SmpHeader.ACK, sid, seq, window, null, 0, 0);
  }

  /**
   * Sends {@code len} bytes as one DATA packet, waiting for the client's window if it is used up.
   */
  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return;
    }
    long seq;
    long window;
    synchronized (this) {
      while (!peerFin && !connectionClosed && SmpHeader.after(sendSeq + 1, sendWindow)) {
        await();
      }
      if (peerFin || connectionClosed || finSent) {
        throw new java.io.EOFException("SID " + sid + " closed by the client");
      }
      sendSeq = (sendSeq + 1) & 0xFFFFFFFFL;
      seq = sendSeq;
      long offer = consumed + SmpHeader.INITIAL_WINDOW;
      if (SmpHeader.after(offer, granted)) {
        granted = offer;
      }
      window = granted;
    }
    connection.send(SmpHeader.DATA, sid, seq, window, b, off, len);
  }

  /** Every write is sent at once. */
  @Override
  public void flush() {}

  /**
   * The handler is done: the server's FIN (unless the connection is gone), and the SID is free once
   * both FINs.
   */
  void finish() throws IOException {
    long seq;
    long window;
    synchronized (this) {
      if (finSent) {
        return;
      }
      finSent = true;
      received.clear();
      current = null;
      if (connectionClosed) {
        connection.forget(this);
        return;
      }
      if (peerFin) {
        connection.forget(this); // before the FIN goes out: the client may reuse the SID at once
      }
      seq = sendSeq;
      window = granted;
    }
    connection.send(SmpHeader.FIN, sid, seq, window, null, 0, 0);
  }

  private void await() throws java.io.InterruptedIOException {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }
}
