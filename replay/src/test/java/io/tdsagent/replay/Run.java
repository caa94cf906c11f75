package io.tdsagent.replay;

import io.tdsagent.testutil.MiniJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** One in-process run of the CLI. */
final class Run {
  final int code;
  final String out;
  final String err;

  private Run(int code, String out, String err) {
    this.code = code;
    this.out = out;
    this.err = err;
  }

  static Run of(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code =
        ReplayMain.run(
            args,
            new PrintStream(o, true, StandardCharsets.UTF_8),
            new PrintStream(e, true, StandardCharsets.UTF_8));
    return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  List<Map<String, Object>> spans() {
    List<Map<String, Object>> l = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isEmpty()) {
        l.add(MiniJson.object(line));
      }
    }
    return l;
  }

  static List<Map<String, Object>> named(List<Map<String, Object>> spans, String name) {
    return spans.stream().filter(s -> name.equals(s.get("name"))).collect(Collectors.toList());
  }

  static Map<String, Object> one(List<Map<String, Object>> spans, String name) {
    List<Map<String, Object>> l = named(spans, name);
    if (l.size() != 1) {
      throw new AssertionError("expected one span " + name + ", got " + l.size());
    }
    return l.get(0);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> attrs(Map<String, Object> span) {
    return (Map<String, Object>) span.get("attributes");
  }

  static long duration(Map<String, Object> span) {
    return (Long) span.get("endTimeUnixNano") - (Long) span.get("startTimeUnixNano");
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
  }
}
