package io.tdsagent.bench;

import io.tdsagent.bench.client.BenchClient;
import io.tdsagent.capture.CaptureReader;
import io.tdsagent.capture.CapturedFrame;
import io.tdsagent.capture.FrameDissector;
import io.tdsagent.capture.TcpSegment;
import io.tdsagent.lab.LabServer;
import io.tdsagent.tds.conversation.ConnectionDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One real mssql-jdbc login, as the agent's advice is handed it: every {@code TDSChannel.write} and
 * {@code TDSChannel.read}, in order, with its bytes (the password masked). Recorded by running the
 * benchmark client once, with the agent and {@code -Dtds.pcap}, against the given lab server: the
 * agent's capture file holds one TCP segment per tapped call.
 */
public final class LoginRecording {
  /** One call of the driver: a write (client to server) or a read. */
  public static final class Call {
    public final boolean write;
    public final byte[] bytes;
    public final long nanos;

    Call(boolean write, byte[] bytes, long nanos) {
      this.write = write;
      this.bytes = bytes;
      this.nanos = nanos;
    }

    /** The TDS packet type of a call that starts a packet (a write always does). */
    public int packetType() {
      return bytes.length > 0 ? bytes[0] & 0xFF : -1;
    }
  }

  public final List<Call> calls;
  public final String host;
  public final int port;

  private LoginRecording(List<Call> calls, String host, int port) {
    this.calls = Collections.unmodifiableList(calls);
    this.host = host;
    this.port = port;
  }

  /**
   * Logs in once with the benchmark's URL ({@code encrypt=false}: TLS for the login only). {@code
   * root} is the project root: the agent jar and the client's class path are taken from its build.
   */
  public static LoginRecording record(LabServer server, Path root)
      throws IOException, InterruptedException {
    Path pcap = Files.createTempFile("tds-login-", ".pcapng");
    try {
      List<String> cmd =
          List.of(
              Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
              "-javaagent:" + root.resolve("agent/target/tds-agent.jar"),
              "-Dtds.pcap=" + pcap,
              "-Dotel.traces.exporter=none",
              "-cp",
              WholeProcess.clientClassPath(root),
              BenchClient.class.getName(),
              "url=" + BenchServer.url(server),
              "workloads=login",
              "login.warmup=0",
              "login.warmupSeconds=0",
              "login.batches=1",
              "login.ops=1");
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("the recording client failed: " + String.join(" ", cmd));
      }
      return read(pcap, server.port());
    } finally {
      Files.deleteIfExists(pcap);
    }
  }

  /**
   * The first connection to {@code serverPort} in the file, one call per segment that carries
   * bytes.
   */
  static LoginRecording read(Path pcap, int serverPort) throws IOException {
    List<Call> calls = new ArrayList<>();
    int clientPort = -1;
    try (CaptureReader r = CaptureReader.open(pcap)) {
      for (CapturedFrame f = r.next(); f != null; f = r.next()) {
        TcpSegment s = FrameDissector.tcp(f);
        if (s == null) {
          continue;
        }
        boolean write = s.dstPort() == serverPort;
        int client = write ? s.srcPort() : s.dstPort();
        if (clientPort < 0) {
          clientPort = client;
        }
        if (client != clientPort) {
          break;
        }
        if (s.payload().length > 0) {
          calls.add(new Call(write, s.payload(), s.timestampNanos()));
        }
      }
    }
    if (calls.isEmpty()) {
      throw new IllegalStateException("no login in " + pcap);
    }
    return new LoginRecording(calls, "127.0.0.1", serverPort);
  }

  /** Hands the recorded login to {@code d}, each call as the advice hands it over, then closes. */
  public void feed(ConnectionDecoder d) {
    for (Call c : calls) {
      if (c.write) {
        d.onClientBytes(c.bytes, 0, c.bytes.length, c.nanos);
      } else {
        d.onServerBytes(c.bytes, 0, c.bytes.length, c.nanos);
      }
    }
    d.onClose(calls.get(calls.size() - 1).nanos);
  }
}
