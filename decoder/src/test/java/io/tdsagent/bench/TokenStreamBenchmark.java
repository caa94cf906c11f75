package io.tdsagent.bench;

import io.tdsagent.tds.conversation.TdsConversation;
import io.tdsagent.tds.event.ResponseEndEvent;
import io.tdsagent.tds.response.TokenHandler;
import io.tdsagent.tds.response.TokenStreamParser;
import io.tdsagent.tds.token.Token;
import io.tdsagent.testutil.TdsBytes;
import io.tdsagent.testutil.TdsBytes.Out;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Decoder throughput on a large result: 100,000 rows x 10 mixed columns (int, bigint, nvarchar(50),
 * varchar(max), numeric(12,4), datetime2(3), uniqueidentifier, varbinary(32), bit, float; every
 * 10th row an NBCROW with NULLs), packetised at 8,000 bytes and fed in 4 KiB chunks as the driver's
 * reads would be.
 *
 * <ul>
 *   <li>{@code conversation}: the whole path (framing, exchange tracking, token parsing) via
 *       TdsConversation;
 *   <li>{@code tokenParser}: the token stream parser alone on the packet payloads.
 * </ul>
 *
 * Each op decodes the whole response once; MB/s = {@link #RESPONSE_BYTES} x ops/s. Run (2 cores
 * shared: one fork):
 *
 * <pre>
 * mvn -B -q -pl decoder test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
 *     -Dexec.args="-cp %classpath io.tdsagent.bench.TokenStreamBenchmark"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenStreamBenchmark {
  static final int ROWS = 100_000;
  static final int PACKET = 8000;
  static final int CHUNK = 4096;
  static final byte[] REQUEST = TdsBytes.packet(0x01, 1, TdsBytes.utf16("SELECT * FROM t"));
  static final byte[] RESPONSE = TdsBytes.message(0x04, resultStream(ROWS), PACKET);
  static final byte[] PAYLOAD = resultStream(ROWS);
  public static final long RESPONSE_BYTES = RESPONSE.length;

  private long sink;
  private TokenStreamParser parser;
  private TdsConversation conversation;

  static byte[] resultStream(int rows) {
    byte[] collation = {0x09, 0x04, (byte) 0xD0, 0x00, 0x34};
    Out s = new Out().u8(0x81).u16le(10);
    s.u32le(0).u16le(0).u8(0x38).bVarchar("id");
    s.u32le(0).u16le(1).u8(0x26).u8(8).bVarchar("big");
    s.u32le(0).u16le(1).u8(0xE7).u16le(100).bytes(collation).bVarchar("name");
    s.u32le(0).u16le(1).u8(0xA7).u16le(0xFFFF).bytes(collation).bVarchar("notes");
    s.u32le(0).u16le(1).u8(0x6C).u8(9).u8(12).u8(4).bVarchar("price");
    s.u32le(0).u16le(1).u8(0x2A).u8(3).bVarchar("created");
    s.u32le(0).u16le(1).u8(0x24).u8(16).bVarchar("guid");
    s.u32le(0).u16le(1).u8(0xA5).u16le(32).bVarchar("blob");
    s.u32le(0).u16le(1).u8(0x68).u8(1).bVarchar("flag");
    s.u32le(0).u16le(1).u8(0x6D).u8(8).bVarchar("ratio");
    Random rnd = new Random(3);
    for (int i = 0; i < rows; i++) {
      if (i % 10 == 9) {
        s.u8(0xD2).u8(0b1000_1010).u8(0b10); // big, notes, blob, ratio NULL
        s.u32le(i);
        String nm = "name-" + i;
        s.u16le(nm.length() * 2).bytes(TdsBytes.utf16(nm));
        s.u8(9).u8(1).u32le(rnd.nextInt()).u32le(0);
        s.u8(7).bytes(new byte[7]);
        s.u8(16).bytes(new byte[16]);
        s.u8(1).u8(1);
        continue;
      }
      s.u8(0xD1).u32le(i);
      s.u8(8).u64le(rnd.nextLong());
      String name = "customer " + i;
      s.u16le(name.length() * 2).bytes(TdsBytes.utf16(name));
      byte[] notes = ("note " + i + " lorem ipsum").getBytes();
      s.u64le(notes.length).u32le(notes.length).bytes(notes).u32le(0);
      s.u8(9).u8(1).u32le(rnd.nextInt()).u32le(0);
      s.u8(7).bytes(new byte[7]);
      s.u8(16).bytes(new byte[16]);
      s.u16le(20).bytes(new byte[20]);
      s.u8(1).u8(i & 1);
      s.u8(8).u64le(Double.doubleToLongBits(i * 0.5));
    }
    s.bytes(TdsBytes.done(0xFD, 0x10, 0xC1, rows));
    return s.toByteArray();
  }

  @Setup(Level.Trial)
  public void setUp() {
    parser =
        new TokenStreamParser(
                new TokenHandler() {
                  @Override
                  public void onToken(Token token) {
                    sink++;
                  }

                  @Override
                  public void onRow(int tokenType) {
                    sink++;
                  }

                  @Override
                  public void onError(String reason) {
                    throw new IllegalStateException(reason);
                  }
                },
                256 * 1024)
            .tdsVersion(0x74000004);
  }

  @Benchmark
  public long tokenParser() {
    byte[] b = PAYLOAD;
    for (int off = 0; off < b.length; off += CHUNK) {
      parser.feed(b, off, Math.min(CHUNK, b.length - off));
    }
    parser.endOfMessage();
    return sink;
  }

  @Benchmark
  public long conversation() {
    if (conversation == null) {
      conversation =
          new TdsConversation(
              e -> {
                if (e instanceof ResponseEndEvent) {
                  sink += ((ResponseEndEvent) e).rowCount();
                }
              });
    }
    conversation.onClientBytes(REQUEST, 0, REQUEST.length, 0);
    byte[] b = RESPONSE;
    for (int off = 0; off < b.length; off += CHUNK) {
      conversation.onServerBytes(b, off, Math.min(CHUNK, b.length - off), off);
    }
    return sink;
  }

  public static void main(String[] args) throws Exception {
    System.out.println(
        "response: "
            + RESPONSE_BYTES
            + " bytes in "
            + (RESPONSE_BYTES + PACKET - 1) / PACKET
            + " packets, "
            + ROWS
            + " rows");
    new Runner(new OptionsBuilder().include(TokenStreamBenchmark.class.getSimpleName()).build())
        .run()
        .forEach(
            r ->
                System.out.printf(
                    "%s: %.0f MB/s%n",
                    r.getParams().getBenchmark(),
                    r.getPrimaryResult().getScore() * RESPONSE_BYTES / 1e6));
  }
}
