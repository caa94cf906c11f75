package io.tdsagent.agent.instrumentation.weave;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A class file's bytes, as the JVM hands them to a transformer. */
public final class ClassBytes {
  private ClassBytes() {}

  public static byte[] of(String binaryName) {
    String resource = binaryName.replace('.', '/') + ".class";
    try (InputStream in = ClassLoader.getSystemResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the test class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] of(Class<?> c) {
    return of(c.getName());
  }
}
