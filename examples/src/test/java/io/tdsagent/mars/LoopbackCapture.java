package io.tdsagent.mars;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** tcpdump on the loopback interface for one TCP port, written to a pcap file. */
final class LoopbackCapture implements AutoCloseable {
  private final Process process;
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final Path file;
  private boolean stopped;

  private LoopbackCapture(Process process, Path file) {
    this.process = process;
    this.file = file;
    Thread t =
        new Thread(
            () -> {
              byte[] b = new byte[512];
              try (InputStream in = process.getErrorStream()) {
                int n;
                while ((n = in.read(b)) > 0) {
                  synchronized (stderr) {
                    stderr.write(b, 0, n);
                  }
                }
              } catch (IOException ignored) {
                // process gone
              }
            },
            "tcpdump-stderr");
    t.setDaemon(true);
    t.start();
  }

  /** Starts tcpdump and returns once it is capturing ("listening on lo"). */
  static LoopbackCapture start(String tcpdump, int port, Path file)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                tcpdump,
                "-i",
                "lo",
                "-n",
                "--immediate-mode",
                "-U",
                // immediate mode rings hold frames of the snapshot length: a small one and a big
                // buffer, or the
                // kernel drops packets (a loopback segment is at most 64 KiB)
                "-s",
                "70000",
                "-B",
                "32768",
                "-w",
                file.toString()));
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.add(1, "-Z");
      cmd.add(
          2, "root"); // keep root: a dropped-privilege tcpdump cannot write into a private temp dir
    }
    cmd.add("tcp port " + port);
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    LoopbackCapture c = new LoopbackCapture(p, file);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!c.stderr().contains("listening on")) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        fail(
            "tcpdump did not start capturing on lo (it needs root or CAP_NET_RAW): "
                + String.join(" ", cmd)
                + "\n"
                + c.stderr());
      }
      Thread.sleep(20);
    }
    return c;
  }

  String stderr() {
    synchronized (stderr) {
      return stderr.toString(StandardCharsets.UTF_8);
    }
  }

  /**
   * Waits until the file has not grown for half a second (the last packets written: {@code
   * --immediate-mode} and {@code -U}), then stops tcpdump with SIGINT, on which it closes the file.
   */
  Path stop() throws IOException, InterruptedException {
    if (!stopped) {
      stopped = true;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      long size = -1;
      long stableSince = System.nanoTime();
      while (System.nanoTime() < deadline) {
        long now = java.nio.file.Files.exists(file) ? java.nio.file.Files.size(file) : 0;
        if (now != size) {
          size = now;
          stableSince = System.nanoTime();
        } else if (System.nanoTime() - stableSince > TimeUnit.MILLISECONDS.toNanos(500)) {
          break;
        }
        Thread.sleep(50);
      }
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
      kill.waitFor(5, TimeUnit.SECONDS);
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("tcpdump did not stop on SIGINT: " + stderr());
      }
      java.util.regex.Matcher dropped =
          java.util.regex.Pattern.compile("(\\d+) packets? dropped by kernel").matcher(stderr());
      if (dropped.find() && !dropped.group(1).equals("0")) {
        fail("tcpdump lost packets, the capture is incomplete: " + stderr());
      }
    }
    return file;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (!stopped) {
      stopped = true;
      process.destroy();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
