package io.tdsagent.agent.pcap;

import io.tdsagent.agent.time.Clock;
import io.tdsagent.capture.FrameDissector;
import io.tdsagent.capture.PcapngWriter;
import io.tdsagent.capture.SyntheticTcpSession;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code tds.pcap}: what the taps saw, written as a pcapng file of made-up TCP connections carrying
 * the plaintext TDS (credentials zeroed by {@link ConnectionRecorder}), for Wireshark and tshark.
 *
 * <p>The driver's threads only copy and queue ({@link #offer} never blocks: a full queue drops the
 * chunk and counts it, and the connection's sequence numbers skip the lost bytes so a reader sees
 * the gap). One daemon thread creates the file at the first connection, writes, flushes when idle,
 * and closes it at JVM shutdown. An I/O error is logged once and ends recording; the application
 * and the traces are unaffected.
 */
public final class PcapExport {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");
  static final int MAX_QUEUED_BYTES = 16 << 20;
  static final int MAX_QUEUED_RECORDS = 65_536;
  private static final long IDLE_FLUSH_MILLIS = 100;
  private static final long MAX_FLUSH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int PLACEHOLDER_PORT = 1433; // Wireshark finds TDS there by itself

  private static volatile PcapExport instance;

  private final Path path;
  private final BlockingQueue<Record> queue;
  private final int maxQueuedBytes;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicInteger nextPort = new AtomicInteger();
  private final Object lifecycle = new Object();
  private volatile boolean stopped;
  private volatile boolean shuttingDown;
  private Thread worker;
  private Thread shutdownHook;
  private PcapngWriter writer; // worker thread only

  PcapExport(Path path, int maxQueuedRecords, int maxQueuedBytes) {
    this.path = path;
    this.queue = new ArrayBlockingQueue<>(maxQueuedRecords);
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /**
   * Reads {@code tds.pcap} once, at agent start-up; nothing is created until a connection is seen.
   */
  public static void configure(String setting) {
    if (setting == null || setting.trim().isEmpty()) {
      return;
    }
    try {
      String file = setting.trim().replace("{pid}", Long.toString(ProcessHandle.current().pid()));
      instance =
          new PcapExport(Paths.get(file).toAbsolutePath(), MAX_QUEUED_RECORDS, MAX_QUEUED_BYTES);
    } catch (RuntimeException e) {
      LOG.warning(
          "tds-agent: tds.pcap="
              + setting
              + " is not a usable path ("
              + e.getMessage()
              + "); no capture is written");
    }
  }

  /**
   * The agent is detaching: what is queued is written, the file closed, the writer thread ended.
   */
  public static void stop() {
    PcapExport e = instance;
    instance = null;
    if (e != null) {
      Thread hook;
      synchronized (e.lifecycle) {
        hook = e.shutdownHook;
      }
      e.shutdown();
      try {
        if (hook != null) {
          Runtime.getRuntime().removeShutdownHook(hook);
        }
      } catch (IllegalStateException exiting) {
        // the JVM is shutting down: the hook runs anyway
      }
    }
  }

  /** A recorder for a new connection, or null when no capture is being written. */
  public static ConnectionRecorder recorder() {
    PcapExport e = instance;
    return e == null || e.stopped ? null : e.newRecorder();
  }

  ConnectionRecorder newRecorder() {
    ensureWorker();
    return new ConnectionRecorder(this, 49152 + nextPort.getAndIncrement() % 16384);
  }

  Path path() {
    return path;
  }

  long droppedCount() {
    return dropped.get();
  }

  boolean isStopped() {
    return stopped;
  }

  /** Never blocks, never throws: false when the record was dropped. */
  boolean offer(Record r) {
    if (stopped || shuttingDown) {
      return false;
    }
    long size = r.size();
    if (queuedBytes.addAndGet(size) > maxQueuedBytes || !queue.offer(r)) {
      queuedBytes.addAndGet(-size);
      long n = dropped.incrementAndGet();
      if (n == 1 || Long.bitCount(n) == 1) {
        LOG.warning(
            "tds-agent: pcap queue full, "
                + n
                + " chunk(s) not written so far ("
                + path
                + " shows the gaps)");
      }
      return false;
    }
    return true;
  }

  private void ensureWorker() {
    if (worker != null) {
      return;
    }
    synchronized (lifecycle) {
      if (worker != null) {
        return;
      }
      Thread t = new Thread(this::run, "tds-agent-pcap");
      t.setDaemon(true);
      t.start();
      shutdownHook = new Thread(this::shutdown, "tds-agent-pcap-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      worker = t;
    }
  }

  private void run() {
    long lastFlush = System.nanoTime();
    boolean dirty = false;
    while (true) {
      Record r;
      try {
        r = queue.poll(IDLE_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        r = null;
        shuttingDown = true;
      }
      if (r == null) {
        if (dirty) {
          dirty = !flush();
          lastFlush = System.nanoTime();
        }
        if (shuttingDown && queue.isEmpty()) {
          closeWriter();
          return;
        }
        continue;
      }
      queuedBytes.addAndGet(-r.size());
      if (stopped) {
        continue;
      }
      try {
        write(r);
        dirty = true;
        if (System.nanoTime() - lastFlush > MAX_FLUSH_INTERVAL_NANOS) {
          dirty = !flush();
          lastFlush = System.nanoTime();
        }
      } catch (IOException | RuntimeException e) {
        fail(e);
      }
    }
  }

  private void write(Record r) throws IOException {
    if (writer == null) {
      writer =
          PcapngWriter.create(
              path, FrameDissector.LINKTYPE_ETHERNET, "tds-agent", "tds-agent plaintext TDS");
      LOG.info(
          "tds-agent: writing plaintext TDS as seen inside the driver (credentials masked) to "
              + path);
    }
    ConnectionRecorder c = r.connection;
    if (c.tcp == null) {
      InetAddress server =
          r.kind == Record.OPEN && r.server != null ? r.server : InetAddress.getLoopbackAddress();
      int serverPort = r.kind == Record.OPEN && r.serverPort > 0 ? r.serverPort : PLACEHOLDER_PORT;
      int clientPort = c.clientPort == serverPort ? c.clientPort ^ 1 : c.clientPort;
      c.tcp = new SyntheticTcpSession(writer, null, clientPort, server, serverPort);
    }
    switch (r.kind) {
      case Record.OPEN:
        c.tcp.open(Clock.toEpochNanos(r.nanos), Clock.toEpochNanos(r.nanos2));
        break;
      case Record.DATA:
        if (r.gap > 0) {
          c.tcp.skip(r.fromClient, r.gap);
        }
        c.tcp.data(r.fromClient, r.data, 0, r.data.length, Clock.toEpochNanos(r.nanos));
        break;
      default:
        c.tcp.close(Clock.toEpochNanos(r.nanos));
        c.tcp = null; // the session's frame buffer goes with it
    }
  }

  private boolean flush() {
    try {
      if (writer != null) {
        writer.flush();
      }
      return true;
    } catch (IOException e) {
      fail(e);
      return false;
    }
  }

  private void fail(Exception e) {
    if (stopped) {
      return;
    }
    stopped = true;
    queue.clear();
    queuedBytes.set(0);
    LOG.log(
        Level.WARNING,
        "tds-agent: could not write the capture "
            + path
            + " ("
            + e
            + "); recording stopped, the application and its traces are unaffected");
    closeWriter();
  }

  private void closeWriter() {
    PcapngWriter w = writer;
    if (w != null) {
      try {
        w.close();
      } catch (IOException e) {
        if (!stopped) {
          stopped = true;
          LOG.warning("tds-agent: could not close the capture " + path + " (" + e + ")");
        }
      }
    }
  }

  /**
   * JVM shutdown: what is queued is written, then the file is closed (waits at most a few seconds).
   */
  void shutdown() {
    shuttingDown = true;
    Thread w = worker;
    if (w != null) {
      try {
        w.join(TimeUnit.SECONDS.toMillis(3));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long n = dropped.get();
    if (n > 0) {
      LOG.warning("tds-agent: " + n + " chunk(s) were not written to " + path + " (queue full)");
    }
  }

  /** One thing to write, queued by a driver thread. */
  static final class Record {
    static final int OPEN = 0;
    static final int DATA = 1;
    static final int CLOSE = 2;

    final ConnectionRecorder connection;
    final int kind;
    final boolean fromClient;
    final byte[] data;
    final long nanos;
    final long nanos2;
    final long gap;
    final InetAddress server;
    final int serverPort;

    Record(
        ConnectionRecorder connection,
        int kind,
        boolean fromClient,
        byte[] data,
        long nanos,
        long nanos2,
        long gap,
        InetAddress server,
        int serverPort) {
      this.connection = connection;
      this.kind = kind;
      this.fromClient = fromClient;
      this.data = data;
      this.nanos = nanos;
      this.nanos2 = nanos2;
      this.gap = gap;
      this.server = server;
      this.serverPort = serverPort;
    }

    long size() {
      return 64 + (data == null ? 0 : data.length);
    }
  }
}
