package io.tdsagent.bench.jmh;

import io.tdsagent.agent.config.CaptureSwitch;
import io.tdsagent.agent.export.SpanPipeline;
import io.tdsagent.agent.tap.ChannelTap;
import io.tdsagent.agent.tap.Taps;
import io.tdsagent.tds.conversation.TdsConversation;
import io.tdsagent.trace.ConnectionTracer;
import java.util.concurrent.TimeUnit;
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
 * The agent's work on the driver's thread, without the driver: what {@code TDSChannel.write/read}
 * advice hands over for one {@code SELECT 1} round trip (one write of the request packet, then the
 * response read as the driver does: 8-byte header, then payload) and for one 100,000-row x
 * 10-column result (11.9 MB: 1489 packets of 8000 bytes, 2978 reads).
 *
 * <ul>
 *   <li>{@code captureSwitch_check}: the {@code tds.capture} check made at every message boundary;
 *   <li>{@code *_captureOff}: the advice with {@code tds.capture=off} (no tap for the channel,
 *       another channel traced): the hot-path check, a side-table lookup;
 *   <li>{@code *_decoder}: {@link TdsConversation} alone, events dropped;
 *   <li>{@code *_decoderTracer}: the decoder and the connection's tracer (span plans made, then
 *       dropped);
 *   <li>{@code *_tap}: {@link ChannelTap#write}/{@link ChannelTap#read} as the advice calls them:
 *       lock, clock, decoder, tracer, hand-over to the export thread (whose SDK exports to {@code
 *       none} here);
 *   <li>{@code select1_viaTable}: the same as the advice reaches it, through {@link Taps}: the
 *       channel's tap looked up in the side table (65 channels in it) at every call.
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/tds-benchmarks.jar TapBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Dotel.traces.exporter=none", "-Xms1g", "-Xmx1g"})
public class TapBenchmark {
  static final byte[] REQUEST = Wire.sqlBatch("SELECT 1");
  static final byte[] SELECT1 = Wire.select1Response();
  static final int[] SELECT1_READS = Wire.driverReads(SELECT1);
  static final byte[] BIG = Wire.bigRowsResponse(100_000);
  static final int[] BIG_READS = Wire.driverReads(BIG);

  /** Stands in for the driver's TDSChannel (the tap only asks it for its class loader). */
  private final Object channel = new Object();

  private Object tap;
  private TdsConversation decoder;
  private TdsConversation decoderTracer;
  private long clock;

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) {
    decoder = new TdsConversation(e -> bh.consume(e));
    decoderTracer =
        new TdsConversation(
            ConnectionTracer.midSession(System.nanoTime(), false, bh::consume, () -> null));
    // The tap as the advice makes it when capture is on and the channel is already logged in.
    tap = ChannelTap.attachLate(channel, REQUEST, 0, REQUEST.length);
    tap = read(tap, SELECT1, SELECT1_READS);
    if (tap == null) {
      throw new IllegalStateException("tap detached");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.println(
        "\nspan plans dropped by the export queue: " + SpanPipeline.get().droppedCount());
  }

  // ---- SELECT 1 round trip ----

  /**
   * {@code tds.capture=off} for the fork running the benchmark that uses it (JMH forks per
   * benchmark).
   */
  @State(Scope.Thread)
  public static class CaptureOff {
    /** Another connection, traced (picked up while capture was on): the side table is not empty. */
    final Object traced = new Object();

    @Setup(Level.Trial)
    public void setUp() {
      Taps.write(traced, REQUEST, 0, REQUEST.length);
      System.setProperty("tds.capture", "off");
      CaptureSwitch.isOn();
    }
  }

  /**
   * A channel traced through {@link Taps}, as the advice reaches it: its tap looked up in the side
   * table.
   */
  @State(Scope.Thread)
  public static class ViaTable {
    final Object channel = new Object();
    final Object[] others = new Object[64];

    @Setup(Level.Trial)
    public void setUp() {
      for (int i = 0; i < others.length; i++) { // other open connections in the table
        others[i] = new Object();
        Taps.write(others[i], REQUEST, 0, REQUEST.length);
      }
      Taps.write(channel, REQUEST, 0, REQUEST.length);
    }
  }

  /**
   * The capture switch as checked at each message boundary: a system-property lookup, capture on
   * (unset).
   */
  @Benchmark
  public boolean captureSwitch_check() {
    return CaptureSwitch.isOn();
  }

  /**
   * What the calls woven around a followed driver API call cost when it returns normally (entry and
   * return): paid at every {@code ResultSet.next()}, so once per row.
   */
  @Benchmark
  public void driverCall_enterReturn() {
    io.tdsagent.agent.instrumentation.calls.DriverCallHooks.callEntered();
    io.tdsagent.agent.instrumentation.calls.DriverCallHooks.callReturned();
  }

  @Benchmark
  public void select1_captureOff(CaptureOff off) {
    WriteAdviceMirror.enter(channel, REQUEST, 0, REQUEST.length);
    for (int i = 0; i + 1 < SELECT1_READS.length; i++) {
      ReadAdviceMirror.exit(
          channel, SELECT1, SELECT1_READS[i], SELECT1_READS[i + 1] - SELECT1_READS[i]);
    }
  }

  /**
   * {@link #select1_tap} as the advice runs it: each call finds the channel's tap in the side table
   * first.
   */
  @Benchmark
  public void select1_viaTable(ViaTable t) {
    WriteAdviceMirror.enter(t.channel, REQUEST, 0, REQUEST.length);
    for (int i = 0; i + 1 < SELECT1_READS.length; i++) {
      ReadAdviceMirror.exit(
          t.channel, SELECT1, SELECT1_READS[i], SELECT1_READS[i + 1] - SELECT1_READS[i]);
    }
  }

  @Benchmark
  public boolean select1_decoder() {
    return exchange(decoder);
  }

  @Benchmark
  public boolean select1_decoderTracer() {
    return exchange(decoderTracer);
  }

  @Benchmark
  public Object select1_tap() {
    tap = ChannelTap.write(tap, REQUEST, 0, REQUEST.length);
    tap = read(tap, SELECT1, SELECT1_READS);
    return tap;
  }

  // ---- 100,000-row result ----

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public boolean big_decoder() {
    decoder.onClientBytes(REQUEST, 0, REQUEST.length, clock++);
    feed(decoder, BIG, BIG_READS);
    return decoder.isStopped();
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Object big_tap() {
    tap = ChannelTap.write(tap, REQUEST, 0, REQUEST.length);
    tap = read(tap, BIG, BIG_READS);
    return tap;
  }

  private boolean exchange(TdsConversation c) {
    c.onClientBytes(REQUEST, 0, REQUEST.length, clock++);
    feed(c, SELECT1, SELECT1_READS);
    return c.isStopped();
  }

  private void feed(TdsConversation c, byte[] b, int[] reads) {
    for (int i = 0; i + 1 < reads.length; i++) {
      c.onServerBytes(b, reads[i], reads[i + 1] - reads[i], clock++);
    }
  }

  private static Object read(Object tap, byte[] b, int[] reads) {
    for (int i = 0; i + 1 < reads.length && tap != null; i++) {
      tap = ChannelTap.read(tap, b, reads[i], reads[i + 1] - reads[i]);
    }
    return tap;
  }

  /**
   * What ReadAdvice does around {@code TDSChannel.read}: hands the channel over; Taps finds its
   * tap.
   */
  static final class ReadAdviceMirror {
    static void exit(Object channel, byte[] data, int offset, int count) {
      Taps.read(channel, data, offset, count);
    }
  }

  /** What WriteAdvice does around {@code TDSChannel.write}. */
  static final class WriteAdviceMirror {
    static void enter(Object channel, byte[] data, int offset, int length) {
      Taps.write(channel, data, offset, length);
    }
  }
}
