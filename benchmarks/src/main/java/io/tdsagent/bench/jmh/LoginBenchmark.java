package io.tdsagent.bench.jmh;

import io.tdsagent.agent.tap.ChannelTap;
import io.tdsagent.bench.BenchServer;
import io.tdsagent.bench.LoginRecording;
import io.tdsagent.lab.LabServer;
import io.tdsagent.tds.conversation.ConnectionDecoder;
import io.tdsagent.trace.ConnectionTracer;
import java.net.InetSocketAddress;
import java.nio.file.Paths;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The agent's work on the driver's thread for one whole login: a real mssql-jdbc login with
 * login-only TLS (PRELOGIN, the TLS handshake inside PRELOGIN packets, LOGIN7, LOGINACK), recorded
 * once at set-up ({@link LoginRecording}) and handed to the agent's entry points call by call, as
 * the advice hands it over.
 *
 * <ul>
 *   <li>{@code login_decoder}: a new connection's decoder and the login's bytes, events dropped;
 *   <li>{@code login_tracer}: the decoder and the connection's tracer (the login's span plan made,
 *       then dropped);
 *   <li>{@code login_tap}: {@link ChannelTap} from {@code open} to {@code close}, the TLS bracket
 *       with a real TLS session to read, and the hand-over to the export thread (whose SDK exports
 *       to {@code none} here).
 * </ul>
 *
 * Compare with what a login costs the driver's thread without the agent (the whole-process
 * benchmark's {@code login} workload, "driver-thread CPU per op"). Run from the project root after
 * {@code mvn -B -q install -DskipTests}:
 *
 * <pre>
 * java -jar benchmarks/target/tds-benchmarks.jar LoginBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Dotel.traces.exporter=none", "-Xms1g", "-Xmx1g"})
public class LoginBenchmark {
  private static final int PRELOGIN = 0x12;
  private static final int LOGIN7 = 0x10;

  private LabServer server;
  private LoginRecording login;
  private SSLSocket tls;

  /**
   * Stands in for mssql-jdbc's TDSChannel: the tap reads the TLS session from its {@code sslSocket}
   * field.
   */
  private TdsChannel channel;

  private InetSocketAddress address;

  static final class TdsChannel {
    @SuppressWarnings("unused") // read reflectively, as the agent reads the driver's field
    private final SSLSocket sslSocket;

    TdsChannel(SSLSocket sslSocket) {
      this.sslSocket = sslSocket;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    server = BenchServer.start();
    login = LoginRecording.record(server, Paths.get(System.getProperty("tds.bench.root", ".")));
    tls = handshake(server);
    channel = new TdsChannel(tls);
    address = new InetSocketAddress(login.host, login.port);
    if (login_tap() == null) {
      throw new IllegalStateException("the tap let go of the recorded login: nothing to measure");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    tls.close();
    server.close();
  }

  @Benchmark
  public boolean login_decoder(Blackhole bh) {
    ConnectionDecoder d = new ConnectionDecoder(bh::consume);
    login.feed(d);
    return d.isStopped();
  }

  @Benchmark
  public boolean login_tracer(Blackhole bh) {
    ConnectionDecoder d =
        new ConnectionDecoder(
            ConnectionTracer.fromConnect(
                login.host, login.port, login.calls.get(0).nanos, false, bh::consume, () -> null));
    login.feed(d);
    return d.isStopped();
  }

  @Benchmark
  public Object login_tap() {
    Object tap = ChannelTap.opened(ChannelTap.open(channel, login.host, login.port), address, null);
    int prelogins = 0;
    boolean tlsDone = false;
    for (LoginRecording.Call c : login.calls) {
      if (tap == null) {
        break;
      }
      if (c.write) {
        // mssql-jdbc's enableSSL: after the PRELOGIN exchange, until LOGIN7 is written.
        if (c.packetType() == PRELOGIN && ++prelogins == 2) {
          ChannelTap.tlsStarting(tap, false);
        } else if (c.packetType() == LOGIN7 && !tlsDone && prelogins >= 2) {
          ChannelTap.tlsFinished(tap, channel, null);
          tlsDone = true;
        }
        tap = ChannelTap.write(tap, c.bytes, 0, c.bytes.length);
      } else {
        tap = ChannelTap.read(tap, c.bytes, 0, c.bytes.length);
      }
    }
    if (tap != null) {
      ChannelTap.close(tap);
    }
    return tap;
  }

  /**
   * A real TLS session with the lab's certificate: TDS 8 starts with the handshake, so the lab
   * answers it directly.
   */
  private static SSLSocket handshake(LabServer server) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.port());
    SSLParameters p = s.getSSLParameters();
    p.setApplicationProtocols(new String[] {"tds/8.0"});
    p.setServerNames(java.util.List.of(new SNIHostName("localhost")));
    s.setSSLParameters(p);
    s.startHandshake();
    if (s.getSession().getPeerCertificates().length == 0) {
      throw new IllegalStateException("no server certificate");
    }
    return s;
  }
}
