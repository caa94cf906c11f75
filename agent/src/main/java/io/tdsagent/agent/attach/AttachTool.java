package io.tdsagent.agent.attach;

import java.io.File;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * {@code java -jar tds-agent.jar attach|detach|status <pid> [options]}: loads this jar into a
 * running JVM of the same user on this machine (the JDK's attach mechanism, through
 * byte-buddy-agent) with the command as the agent's argument; the agent writes its status to a file
 * this tool prints.
 */
public final class AttachTool {
  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar tds-agent.jar attach <pid> [--capture on|off] [--pcap FILE] [--for 10m] [--set KEY=VALUE]...",
          "       java -jar tds-agent.jar detach <pid>",
          "       java -jar tds-agent.jar status <pid>",
          "  attach   instrument the JVM's SQL Server drivers now (again: change --capture / --for only)",
          "  --for    detach by itself after this long (500ms, 30s, 10m, 2h)",
          "  --set    a system property for the agent, e.g. otel.exporter.otlp.endpoint=http://collector:4318",
          "  detach   restore the driver classes and stop every agent thread",
          "  status   attached or not, capture on/off, connections traced, spans exported and dropped");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

  private AttachTool() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2
        || !(args[0].equals("attach") || args[0].equals("detach") || args[0].equals("status"))) {
      err.println(USAGE);
      return 2;
    }
    Map<String, String> command = new LinkedHashMap<>();
    command.put("cmd", args[0]);
    String pid = args[1];
    try {
      if (!pid.matches("\\d+")) {
        throw new IllegalArgumentException(
            "not a process id: " + pid + " (jps or jcmd lists them)");
      }
      for (int i = 2; i < args.length; i++) {
        String opt = args[i];
        String value = i + 1 < args.length ? args[++i] : null;
        if (value == null || !args[0].equals("attach")) {
          throw new IllegalArgumentException(
              value == null ? opt + " needs a value" : opt + " is for attach only");
        }
        switch (opt) {
          case "--capture":
            if (!value.equals("on") && !value.equals("off")) {
              throw new IllegalArgumentException("--capture on|off");
            }
            command.put("capture", value);
            break;
          case "--pcap":
            command.put("pcap", new File(value).getAbsolutePath());
            break;
          case "--for":
            command.put("for", Long.toString(millis(value)));
            break;
          case "--set":
            int eq = value.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException("--set KEY=VALUE");
            }
            command.put("set." + value.substring(0, eq), value.substring(eq + 1));
            break;
          default:
            throw new IllegalArgumentException("unknown option " + opt);
        }
      }
    } catch (IllegalArgumentException e) {
      err.println("tds-agent: " + e.getMessage() + "\n" + USAGE);
      return 2;
    }
    Path status = null;
    try {
      File jar =
          new File(AttachTool.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      status = Files.createTempFile("tds-agent-status", ".txt");
      command.put("out", status.toString());
      ByteBuddyAgent.attach(jar, pid, encode(command));
      out.print(Files.readString(status, StandardCharsets.UTF_8));
      return 0;
    } catch (Exception | LinkageError e) {
      err.println(
          "tds-agent: could not "
              + args[0]
              + " to JVM "
              + pid
              + ": "
              + e
              + (e.getCause() != null ? " (" + e.getCause() + ")" : "")
              + "\n(the JVM must run on this machine as the same user and have finished starting: one in its first moments can refuse an agent; a JRE without the jdk.attach module cannot attach)");
      return 1;
    } finally {
      if (status != null) {
        try {
          Files.deleteIfExists(status);
        } catch (Exception ignored) {
          // a temporary file
        }
      }
    }
  }

  static long millis(String d) {
    Matcher m = DURATION.matcher(d.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("--for " + d + ": a duration such as 500ms, 30s, 10m, 2h");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    switch (unit) {
      case "ms":
        return n;
      case "m":
        return n * 60_000;
      case "h":
        return n * 3_600_000;
      default:
        return n * 1000;
    }
  }

  static String encode(Map<String, String> m) {
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, String> e : m.entrySet()) {
      if (s.length() > 0) {
        s.append('&');
      }
      s.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return s.toString();
  }
}
