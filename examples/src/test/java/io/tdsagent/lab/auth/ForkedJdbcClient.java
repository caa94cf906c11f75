package io.tdsagent.lab.auth;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JDBC client in a JVM of its own, for what mssql-jdbc reads process-wide (JavaKerberos:
 * krb5.conf, JAAS). {@code main(URL)} logs in, prints {@code LOGIN <SUSER_NAME()>}, or {@code FAIL
 * <error code> <messages of the cause chain>}; it never prints the URL.
 */
public final class ForkedJdbcClient {
  private ForkedJdbcClient() {}

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0]);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT SUSER_NAME()")) {
      rs.next();
      System.out.println("LOGIN " + rs.getString(1));
    } catch (SQLException e) {
      StringBuilder sb = new StringBuilder("FAIL " + e.getErrorCode());
      for (Throwable t = e; t != null; t = t.getCause()) {
        sb.append(" | ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
      }
      System.out.println(sb.toString().replace('\n', ' '));
    }
  }

  /**
   * Runs {@link #main} with {@code url} in a new JVM with these system properties; returns its
   * stdout.
   */
  static String run(String url, Map<String, String> systemProperties)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx128m");
    cmd.add("-XX:TieredStopAtLevel=1");
    systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ForkedJdbcClient.class.getName());
    cmd.add(url);
    Path out = Files.createTempFile("tds-lab-client", ".out");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
      pb.environment()
          .put(
              "KRB5CCNAME",
              "FILE:" + out.getParent().resolve("no-such-ccache-" + ProcessHandle.current().pid()));
      Process p = pb.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("forked client did not finish in 60 s");
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  static String pathSeparator() {
    return File.pathSeparator;
  }
}
