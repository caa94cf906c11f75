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
 * {@code java -jar tds-replay.jar [--json] [--otlp ENDPOINT] FILE...}: prints the TDS connections of pcap/pcapng
 * captures as traces. Exit codes: 0 done (damaged captures included: what could be read is shown, with a
 * message), 1 a file could not be read as a capture at all, 2 usage, 3 the OTLP export failed.
 */
public final class ReplayMain {
    static final String USAGE = "usage: java -jar tds-replay.jar [--json] [--otlp ENDPOINT] [--raw-sql] FILE...\n"
            + "  (default)        a waterfall per connection\n"
            + "  --json           JSON lines, one object per span\n"
            + "  --otlp ENDPOINT  POST spans as OTLP/HTTP JSON to ENDPOINT/v1/traces (e.g. http://localhost:4318)\n"
            + "  --raw-sql        keep SQL text as captured (by default its literals are replaced by ?)";

    private ReplayMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        boolean json = false;
        boolean rawSql = false;
        String otlp = null;
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
        OtlpJsonSink otlpSink = null;
        if (otlp != null) {
            try {
                otlpSink = new OtlpJsonSink(otlp);
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
        SpanSink sink = new SpanSink() {
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
                    stderr.println(f + ": " + r.damage + "; showing the " + r.tdsConnections
                            + " TDS connection(s) decoded so far");
                }
                if (r.tdsConnections == 0) {
                    stderr.println(f + ": no TDS connection found (" + r.frames + " frames, " + r.tcpConnections
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
