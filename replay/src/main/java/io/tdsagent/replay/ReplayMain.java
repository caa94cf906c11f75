package io.tdsagent.replay;

import io.tdsagent.capture.CaptureFormatException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar tds-replay.jar [--json] [--otlp ENDPOINT [--otlp-format protobuf|json]]
 * FILE...}: prints the TDS connections of pcap/pcapng captures as traces, or sends them to an
 * OTLP/HTTP endpoint. Exit codes: 0 done (damaged captures included: what could be read is shown,
 * with a message), 1 a file could not be read as a capture at all, 2 usage, 3 the OTLP export
 * failed.
 */
public final class ReplayMain {
  static final String USAGE =
      "usage: java -jar tds-replay.jar [--json] [--otlp ENDPOINT [--otlp-format protobuf|json]]"
          + " [--raw-sql] FILE...\n"
          + "  (default)              a waterfall per connection\n"
          + "  --json                 JSON lines, one object per span\n"
          + "  --otlp ENDPOINT        POST spans as OTLP/HTTP to ENDPOINT/v1/traces (e.g. http://localhost:4318),\n"
          + "                         http/protobuf unless --otlp-format json (or --otlp-json) says otherwise\n"
          + "  --raw-sql              keep SQL text as captured (by default its literals are replaced by ?)";

  private ReplayMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream stdout, PrintStream stderr) {
    boolean json = false;
    boolean rawSql = false;
    String otlp = null;
    OtlpSink.Format format = OtlpSink.Format.PROTOBUF;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--raw-sql")) {
        rawSql = true;
      } else if (a.equals("--json")) {
        json = true;
      } else if (a.equals("--otlp")) {
        if (i + 1 >= args.length) {
          stderr.println("--otlp needs an endpoint\n" + USAGE);
          return 2;
        }
        otlp = args[++i];
      } else if (a.startsWith("--otlp=")) {
        otlp = a.substring(7);
      } else if (a.equals("--otlp-json")) {
        format = OtlpSink.Format.JSON;
      } else if (a.equals("--otlp-format") || a.startsWith("--otlp-format=")) {
        String f =
            a.startsWith("--otlp-format=") ? a.substring(14) : i + 1 < args.length ? args[++i] : "";
        if (f.equals("json")) {
          format = OtlpSink.Format.JSON;
        } else if (f.equals("protobuf")) {
          format = OtlpSink.Format.PROTOBUF;
        } else {
          stderr.println("--otlp-format is protobuf or json\n" + USAGE);
          return 2;
        }
      } else if (a.equals("-h") || a.equals("--help")) {
        stdout.println(USAGE);
        return 0;
      } else if (a.startsWith("--")) {
        stderr.println("unknown option " + a + "\n" + USAGE);
        return 2;
      } else {
        files.add(Paths.get(a));
      }
    }
    if (files.isEmpty()) {
      stderr.println(USAGE);
      return 2;
    }
    Writer w = new OutputStreamWriter(stdout, StandardCharsets.UTF_8);
    List<SpanSink> sinks = new ArrayList<>();
    OtlpSink otlpSink = null;
    if (otlp != null) {
      try {
        otlpSink = new OtlpSink(otlp, format);
      } catch (IllegalArgumentException e) {
        stderr.println("bad OTLP endpoint " + otlp + ": " + e.getMessage());
        return 2;
      }
      sinks.add(otlpSink);
    }
    if (json) {
      sinks.add(new JsonLinesSink(w));
    } else if (otlp == null) {
      sinks.add(new WaterfallSink(w));
    }
    SpanSink sink =
        new SpanSink() {
          @Override
          public void span(Span span) throws IOException {
            for (SpanSink s : sinks) {
              s.span(span);
            }
          }

          @Override
          public void finish() throws IOException {
            for (SpanSink s : sinks) {
              s.finish();
            }
          }
        };
    int code = 0;
    Replayer replayer = new Replayer(sink).rawSql(rawSql);
    for (Path f : files) {
      try {
        if (!json && otlp == null) {
          w.write("== " + f + "\n");
          w.flush();
        }
        Replayer.Result r = replayer.replay(f);
        if (r.damage != null) {
          stderr.println(
              f
                  + ": "
                  + r.damage
                  + "; showing the "
                  + r.tdsConnections
                  + " TDS connection(s) decoded so far");
        }
        if (r.tdsConnections == 0) {
          stderr.println(
              f
                  + ": no TDS connection found ("
                  + r.frames
                  + " frames, "
                  + r.tcpConnections
                  + " TCP connections)");
        }
      } catch (NoSuchFileException e) {
        stderr.println(f + ": no such file");
        code = 1;
      } catch (CaptureFormatException e) {
        stderr.println(f + ": not a readable pcap/pcapng capture: " + e.getMessage());
        code = 1;
      } catch (IOException e) {
        if (otlpSink != null && e.getMessage() != null && e.getMessage().contains("OTLP")) {
          stderr.println(e.getMessage());
          return 3;
        }
        stderr.println(f + ": " + e);
        code = 1;
      }
    }
    try {
      sink.finish();
    } catch (IOException e) {
      stderr.println(e.getMessage());
      return 3;
    }
    if (otlpSink != null) {
      stderr.println("exported " + otlpSink.sent() + " spans to " + otlpSink.uri());
    }
    return code;
  }
}
