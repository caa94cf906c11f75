package io.tdsagent.fuzz;

import io.tdsagent.capture.CaptureReader;
import io.tdsagent.capture.CapturedFrame;
import io.tdsagent.capture.FrameDissector;
import io.tdsagent.capture.TcpConnection;
import io.tdsagent.capture.TcpReassembler;
import io.tdsagent.capture.TcpSegment;
import io.tdsagent.capture.TcpStreamListener;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.testutil.NtlmBytes;
import io.tdsagent.testutil.SmpBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the fuzz targets' seed corpora from the real captures in ../shared/captures (and a few
 * messages the captures lack: MARS, NTLM). Run from the repository root after a change of the
 * captures or of an input format: {@code java -cp
 * decoder/target/classes:decoder/target/test-classes io.tdsagent.fuzz.FuzzSeeds ../shared/captures
 * decoder/src/test/resources}.
 */
public final class FuzzSeeds {
  private FuzzSeeds() {}

  public static void main(String[] args) throws IOException {
    Path captures = Paths.get(args[0]);
    Path res = Paths.get(args[1]);
    Path fuzz = res.resolve("io/tdsagent/fuzz/DecoderFuzzTestInputs");
    Path tokens = res.resolve("io/tdsagent/tds/response/TokenStreamFuzzTestInputs/tokenStream");
    Path requests = res.resolve("io/tdsagent/tds/request/RequestFuzzTestInputs/request");
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(captures, "*.{pcap,pcapng}")) {
      ds.forEach(files::add);
    }
    files.sort(null);
    for (Path f : files) {
      String name = f.getFileName().toString().replaceAll("\\.pcap(ng)?$", "");
      byte[] raw = Files.readAllBytes(f);
      write(fuzz.resolve("captureReader"), name, raw);
      int c = 0;
      for (List<Chunks.Segment> conv : conversations(f)) {
        String id = name + "-" + c++;
        write(fuzz.resolve("connection"), id, Chunks.encode(conv, 65536));
        write(fuzz.resolve("connection"), id + "-7", Chunks.encode(conv, 7));
        write(fuzz.resolve("secretMasker"), id, Chunks.encode(conv, 65536));
        List<Chunks.Segment> tls = new ArrayList<>();
        int m = 0;
        for (Chunks.Segment s : messages(conv)) {
          int type = s.bytes[0] & 0xFF;
          byte[] payload = payload(s.bytes);
          String mid = id + "-" + m++;
          if (payload.length > 2
              && (payload[0] & 0xFF) >= 20
              && (payload[0] & 0xFF) <= 23
              && payload[1] == 3) {
            tls.add(new Chunks.Segment(s.fromServer, payload));
          } else if (s.fromServer && m > 1) {
            write(tokens, mid, concat(new byte[] {(byte) 0xFF, 0}, payload));
            write(tokens, mid + "-1", concat(new byte[] {0, 0}, payload));
          } else if (!s.fromServer && type == 0x10) {
            write(fuzz.resolve("login7"), mid, payload);
          } else if (!s.fromServer
              && (type == 0x01 || type == 0x03 || type == 0x0E || type == 0x07)) {
            write(requests, mid, concat(new byte[] {(byte) 0xFF, (byte) type, 0}, payload));
            write(requests, mid + "-3", concat(new byte[] {2, (byte) type, 0}, payload));
          }
        }
        if (!tls.isEmpty()) {
          write(fuzz.resolve("tls"), id, Chunks.encode(tls, 65536));
        }
      }
    }
    byte[] batch =
        concat(
            new byte[] {0x01, 0x01, 0, 0x20, 0, 0, 1, 0},
            "SELECT 1".getBytes(StandardCharsets.UTF_16LE));
    batch[3] = (byte) batch.length;
    List<Chunks.Segment> mars =
        List.of(
            new Chunks.Segment(
                false,
                concat(
                    SmpBytes.syn(0, 4),
                    SmpBytes.data(0, 1, 4, batch),
                    SmpBytes.syn(1, 4),
                    SmpBytes.data(1, 1, 4, batch))),
            new Chunks.Segment(true, concat(SmpBytes.ack(0, 1, 5), SmpBytes.ack(1, 1, 5))),
            new Chunks.Segment(false, concat(SmpBytes.fin(0, 2, 4), SmpBytes.fin(1, 2, 4))));
    write(fuzz.resolve("smp"), "two-sessions", Chunks.encode(mars, 65536));
    write(fuzz.resolve("smp"), "two-sessions-5", Chunks.encode(mars, 5));
    write(
        fuzz.resolve("sspi"),
        "ntlm-negotiate",
        NtlmBytes.negotiate(0xE2088297L, "LAB", "HOST", true));
    write(
        fuzz.resolve("sspi"),
        "ntlm-challenge",
        NtlmBytes.challenge(
            0xE2898215L,
            "LAB",
            new byte[8],
            NtlmBytes.avPairs(2, "LAB", 1, "SRV", 7, new byte[8])));
    write(
        fuzz.resolve("sspi"),
        "ntlm-authenticate",
        NtlmBytes.authenticate(
            0xE2888215L,
            new byte[24],
            NtlmBytes.ntlmV2Response(new byte[16], 0, new byte[8], NtlmBytes.avPairs(2, "LAB")),
            "LAB",
            "user",
            "HOST",
            new byte[16],
            new byte[16]));
  }

  /** The two directions of each TCP connection, in the order the capture delivered them. */
  static List<List<Chunks.Segment>> conversations(Path capture) throws IOException {
    Map<Integer, List<Chunks.Segment>> byConn = new LinkedHashMap<>();
    TcpReassembler tcp =
        new TcpReassembler(
            new TcpStreamListener() {
              @Override
              public void onData(
                  TcpConnection c, Direction d, byte[] buf, int off, int len, long ts) {
                byte[] b = new byte[len];
                System.arraycopy(buf, off, b, 0, len);
                byConn
                    .computeIfAbsent(c.id(), k -> new ArrayList<>())
                    .add(new Chunks.Segment(d == Direction.SERVER_TO_CLIENT, b));
              }
            });
    try (CaptureReader r = CaptureReader.open(capture)) {
      for (CapturedFrame f; (f = r.next()) != null; ) {
        TcpSegment s = FrameDissector.tcp(f);
        if (s != null) {
          tcp.accept(s);
        }
      }
    }
    tcp.finish();
    return new ArrayList<>(byConn.values());
  }

  /** Whole TDS messages (headers kept) per direction: the packets up to each end-of-message. */
  static List<Chunks.Segment> messages(List<Chunks.Segment> conv) {
    List<Chunks.Segment> out = new ArrayList<>();
    Map<Boolean, ByteArrayOutputStream> stream = new LinkedHashMap<>();
    Map<Boolean, ByteArrayOutputStream> msg = new LinkedHashMap<>();
    for (Chunks.Segment s : conv) {
      ByteArrayOutputStream b =
          stream.computeIfAbsent(s.fromServer, k -> new ByteArrayOutputStream());
      b.write(s.bytes, 0, s.bytes.length);
      byte[] all = b.toByteArray();
      int p = 0;
      while (p + 8 <= all.length) {
        int len = (all[p + 2] & 0xFF) << 8 | (all[p + 3] & 0xFF);
        if (len < 8 || p + len > all.length) {
          break;
        }
        ByteArrayOutputStream m =
            msg.computeIfAbsent(s.fromServer, k -> new ByteArrayOutputStream());
        m.write(all, p, len);
        if ((all[p + 1] & 1) != 0) {
          out.add(new Chunks.Segment(s.fromServer, m.toByteArray()));
          m.reset();
        }
        p += len;
      }
      b.reset();
      b.write(all, p, all.length - p);
    }
    return out;
  }

  /** A message's payload: each packet's bytes after its 8-byte header. */
  static byte[] payload(byte[] message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int p = 0; p + 8 <= message.length; ) {
      int len = (message[p + 2] & 0xFF) << 8 | (message[p + 3] & 0xFF);
      out.write(message, p + 8, len - 8);
      p += len;
    }
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }

  private static void write(Path dir, String name, byte[] b) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), b);
  }
}
