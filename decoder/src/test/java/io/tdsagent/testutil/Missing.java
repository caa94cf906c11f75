package io.tdsagent.testutil;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when something it needs from outside the build (a tool, a JDK, a free port) is
 * not here: under {@code CI=true} it fails, since {@code .ci/run} installs everything; elsewhere it
 * is skipped, and the reason goes to the build's console, not only to the report file, so that
 * nobody mistakes a skip for a pass.
 */
public final class Missing {
  private Missing() {}

  public static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Never returns normally: fails (CI) or aborts the test (elsewhere), saying {@code why}. */
  public static void skipOrFail(String why) {
    if (ci()) {
      fail(why);
    }
    loud("*** SKIPPED (would fail under CI=true): " + why);
    Assumptions.abort(why);
  }

  /**
   * To the forked JVM's own stderr, which the build's console shows even when test output goes to
   * files.
   */
  public static void loud(String message) {
    System.err.println(message);
    try {
      FileOutputStream err = new FileOutputStream(FileDescriptor.err);
      err.write((message + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
      err.flush();
    } catch (IOException e) {
      // System.err has it
    }
  }
}
