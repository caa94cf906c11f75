package io.tdsagent.agent.pcap;

import io.tdsagent.agent.time.Clock;
import io.tdsagent.capture.SecretMasker;
import io.tdsagent.capture.SyntheticTcpSession;
import java.net.InetSocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One tapped connection's part of the capture. Called on the driver's thread, under the tap's lock,
 * with the bytes the tap is handed anyway: it copies them, zeroes the credentials in the copy
 * ({@link SecretMasker}) and queues it. Never throws: a failure here ends this connection's
 * recording and leaves the tap alone.
 */
public final class ConnectionRecorder implements SecretMasker.Output {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");
  private static volatile boolean failureLogged;

  private final PcapExport export;
  final int clientPort;
  private final long createdNanos;
  private final SecretMasker masker;

  /** Bytes per direction dropped since the last chunk that was queued. */
  private long clientGap;

  private long serverGap;
  private boolean done;

  /** The writer thread's. */
  SyntheticTcpSession tcp;

  ConnectionRecorder(PcapExport export, int clientPort) {
    this.export = export;
    this.clientPort = clientPort;
    this.createdNanos = Clock.now();
    this.masker = new SecretMasker(this);
  }

  /** The TCP connect finished: the handshake goes from the recorder's creation to now. */
  public void opened(InetSocketAddress remote) {
    if (done) {
      return;
    }
    try {
      export.offer(
          new PcapExport.Record(
              this,
              PcapExport.Record.OPEN,
              true,
              null,
              createdNanos,
              Clock.now(),
              0,
              remote == null ? null : remote.getAddress(),
              remote == null ? 0 : remote.getPort()));
    } catch (Throwable t) {
      fail(t);
    }
  }

  public void client(byte[] data, int offset, int length) {
    if (!done && data != null && length > 0) {
      if (export.isStopped()) {
        done = true;
        return;
      }
      try {
        masker.client(data, offset, length, Clock.now());
      } catch (Throwable t) {
        fail(t);
      }
    }
  }

  public void server(byte[] data, int offset, int length) {
    if (!done && data != null && length > 0) {
      if (export.isStopped()) {
        done = true;
        return;
      }
      try {
        masker.server(data, offset, length, Clock.now());
      } catch (Throwable t) {
        fail(t);
      }
    }
  }

  /** The driver closed the connection: FIN exchange. */
  public void closed() {
    end(true);
  }

  /** The tap lets go of a connection that is still open: what was held is written, no FIN. */
  public void abandon() {
    end(false);
  }

  private void end(boolean fin) {
    if (done) {
      return;
    }
    try {
      masker.close();
      done = true;
      if (fin) {
        export.offer(
            new PcapExport.Record(
                this, PcapExport.Record.CLOSE, true, null, Clock.now(), 0, 0, null, 0));
      }
    } catch (Throwable t) {
      fail(t);
    }
  }

  @Override
  public void chunk(boolean fromClient, byte[] data, long timeNanos) {
    long gap = fromClient ? clientGap : serverGap;
    boolean queued =
        export.offer(
            new PcapExport.Record(
                this, PcapExport.Record.DATA, fromClient, data, timeNanos, 0, gap, null, 0));
    long next = queued ? 0 : gap + data.length;
    if (fromClient) {
      clientGap = next;
    } else {
      serverGap = next;
    }
  }

  private void fail(Throwable t) {
    done = true;
    if (!failureLogged) {
      failureLogged = true;
      LOG.log(
          Level.WARNING,
          "tds-agent: pcap recording of a connection failed; it is no longer recorded (said once)",
          t);
    }
  }
}
