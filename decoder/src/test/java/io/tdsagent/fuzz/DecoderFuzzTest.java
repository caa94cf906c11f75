package io.tdsagent.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tdsagent.capture.CaptureFormatException;
import io.tdsagent.capture.CaptureReader;
import io.tdsagent.capture.CapturedFrame;
import io.tdsagent.capture.FrameDissector;
import io.tdsagent.capture.SecretMasker;
import io.tdsagent.capture.TcpReassembler;
import io.tdsagent.capture.TcpSegment;
import io.tdsagent.capture.TcpStreamListener;
import io.tdsagent.smp.SmpDemultiplexer;
import io.tdsagent.tds.conversation.ConnectionDecoder;
import io.tdsagent.tds.conversation.DecoderLimits;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.login.Login7Decoder;
import io.tdsagent.tds.sspi.SspiDecoder;
import io.tdsagent.tds.tls.TlsAlert;
import io.tdsagent.tds.tls.TlsHandshakeMessage;
import io.tdsagent.tds.tls.TlsListener;
import io.tdsagent.tds.tls.TlsSession;
import io.tdsagent.tds.wire.DecodeException;
import io.tdsagent.testutil.FuzzSwitch;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Coverage-guided fuzz targets (Jazzer), one per decoder entry point. {@code mvn verify} runs each
 * over its seed corpus ({@code
 * src/test/resources/io/tdsagent/fuzz/DecoderFuzzTestInputs/<target>/}, derived from the real
 * captures by {@link FuzzSeeds}); {@code JAZZER_FUZZ=1} fuzzes one target for real (README:
 * "Fuzzing"). Invariant of every target: nothing but the documented exception leaves the API; a
 * throw is a finding.
 */
@ExtendWith(FuzzSwitch.class)
class DecoderFuzzTest {
  /** What one connection may hold: small limits, so that the fuzzer reaches them. */
  private static final DecoderLimits LIMITS = new DecoderLimits(64 * 1024, 32 * 1024);

  /** Client and server chunks, directions and sizes decided by the input; nothing may escape. */
  @FuzzTest(maxDuration = "5m")
  void connection(byte[] input) {
    long[] events = {0};
    ConnectionDecoder d = new ConnectionDecoder(e -> events[0]++, LIMITS, 16);
    long[] t = {0};
    Chunks.forEach(
        input,
        (fromServer, buf, off, len) -> {
          if (fromServer) {
            d.onServerBytes(buf, off, len, ++t[0]);
          } else {
            d.onClientBytes(buf, off, len, ++t[0]);
          }
        });
    d.onClose(++t[0]);
    // every event is caused by at least one byte, or by a chunk or the close
    assertTrue(
        events[0] <= 4L * input.length + 16, events[0] + " events from " + input.length + " bytes");
  }

  /** The MARS layer alone, with its own session limit. */
  @FuzzTest(maxDuration = "5m")
  void smp(byte[] input) {
    SmpDemultiplexer d =
        new SmpDemultiplexer(
            e -> {},
            new SmpDemultiplexer.SessionSink() {
              @Override
              public void onSessionOpened(int sid, long timeNanos) {}

              @Override
              public void onSessionData(
                  int sid, Direction dir, byte[] buf, int off, int len, long timeNanos) {}

              @Override
              public void onSessionClosed(int sid, long timeNanos) {}
            },
            8,
            false);
    Chunks.forEach(
        input,
        (fromServer, buf, off, len) -> {
          if (fromServer) {
            d.onServerBytes(buf, off, len, 1);
          } else {
            d.onClientBytes(buf, off, len, 1);
          }
        });
    d.onClose(2);
    assertTrue(d.openSessions() <= 8, d.openSessions() + " sessions open");
  }

  /** TLS records inside PRELOGIN, both directions. */
  @FuzzTest(maxDuration = "5m")
  void tls(byte[] input) {
    TlsListener quiet =
        new TlsListener() {
          @Override
          public void onHandshake(TlsHandshakeMessage message) {
            message.toString();
          }

          @Override
          public void onAlert(TlsAlert alert) {}

          @Override
          public void onError(String reason) {}
        };
    TlsSession s = new TlsSession(32 * 1024, quiet, quiet);
    Chunks.forEach(
        input,
        (fromServer, buf, off, len) -> (fromServer ? s.server() : s.client()).feed(buf, off, len));
  }

  /** NTLM, SPNEGO and Kerberos blobs: documented never to throw. */
  @FuzzTest(maxDuration = "5m")
  void sspi(byte[] input) {
    SspiDecoder.classify(input);
    SspiDecoder.decode(input).toString();
  }

  /**
   * A LOGIN7 payload: DecodeException is its documented failure; SecretMasker must take anything.
   */
  @FuzzTest(maxDuration = "5m")
  void login7(byte[] input) {
    try {
      Login7Decoder.decode(input, 0, input.length).toString();
    } catch (DecodeException expected) {
      // the documented way to refuse a LOGIN7
    }
  }

  /**
   * The capture masker over a whole two-way stream: it must never throw at the application's bytes.
   */
  @FuzzTest(maxDuration = "5m")
  void secretMasker(byte[] input) {
    long[] out = {0};
    SecretMasker m = new SecretMasker((fromClient, data, time) -> out[0] += data.length, 16 * 1024);
    long[] in = {0};
    Chunks.forEach(
        input,
        (fromServer, buf, off, len) -> {
          in[0] += len;
          if (fromServer) {
            m.server(buf, off, len, 1);
          } else {
            m.client(buf, off, len, 1);
          }
        });
    m.close();
    assertTrue(out[0] <= in[0], out[0] + " bytes written for " + in[0] + " read");
  }

  /**
   * A pcap or pcapng file: CaptureFormatException (and a premature end) is how it refuses; the
   * frames go on through the dissector and TCP reassembly, which must take anything.
   */
  @FuzzTest(maxDuration = "5m")
  void captureReader(byte[] input) throws IOException {
    TcpReassembler tcp =
        new TcpReassembler(
            new TcpStreamListener() {
              @Override
              public void onData(
                  io.tdsagent.capture.TcpConnection c,
                  Direction d,
                  byte[] buf,
                  int off,
                  int len,
                  long ts) {}
            });
    int frames = 0;
    try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(input))) {
      for (CapturedFrame f; (f = r.next()) != null; frames++) {
        TcpSegment s = FrameDissector.tcp(f);
        if (s != null) {
          tcp.accept(s);
        }
      }
    } catch (CaptureFormatException expected) {
      // damaged or cut: refused as documented
    }
    tcp.finish();
    assertTrue(frames <= input.length / 8 + 1, frames + " frames from " + input.length + " bytes");
  }
}
