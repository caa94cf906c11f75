import java.nio.file.*;
import java.sql.*;
import java.util.*;

/**
 * One mssql-jdbc login and a SELECT 1, timed on the application's thread (wall and the thread's own
 * CPU: what the application waits for), then, after a pause for the agent's export, the CPU of every
 * live thread (utime + stime from /proc/self/task/N/stat), summed by thread name (a pool's numbers folded: {@code GC Thread#N}).
 */
public class FirstLoginThreads {
  public static void main(String[] a) throws Exception {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu0 = mx.getCurrentThreadCpuTime();
    long wall0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(a[0]);
        ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
      rs.next();
    }
    long appWallMs = (System.nanoTime() - wall0) / 1_000_000;
    long appCpuMs = (mx.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
    Thread.sleep(Long.parseLong(a[1]));
    long hz = 100; // USER_HZ on Linux
    Map<String, Long> ms = new TreeMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Paths.get("/proc/self/task"))) {
      for (Path t : tasks) {
        String stat = Files.readString(t.resolve("stat"));
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        ms.merge(name.replaceAll("(?<=[#-])[0-9]+", "N").replace(' ', '_'), ticks * 1000 / hz, Long::sum);
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("app:login+select1_wall=").append(appWallMs).append(' ');
    out.append("app:login+select1_cpu=").append(appCpuMs).append(' ');
    ms.forEach((k, v) -> out.append(k).append('=').append(v).append(' '));
    System.out.println(out.toString().trim());
  }
}
