package io.tdsagent.tds.sspi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.event.AuthLegEvent;
import io.tdsagent.tds.event.SspiEvent;
import io.tdsagent.tds.login.Login7;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Structural guard: no class of the sspi packages, nor the events and LOGIN7 that carry SSPI
 * messages, has an instance field that could hold raw bytes (byte[], char[], a reader or buffer
 * over them). Secrets cannot be kept where there is no room for them.
 */
class SspiNoSecretFieldsTest {
  @Test
  void noInstanceFieldCanHoldBytes() throws Exception {
    List<Class<?>> classes = new ArrayList<>(sspiClasses());
    classes.add(SspiEvent.class);
    classes.add(AuthLegEvent.class);
    classes.add(Login7.class);
    assertTrue(classes.size() > 20, classes.toString());
    List<String> bad = new ArrayList<>();
    for (Class<?> c : classes) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        Class<?> t = f.getType();
        boolean holdsBytes =
            t == byte[].class
                || t == char[].class
                || t.getName().endsWith("ByteReader")
                || t.getName().endsWith("DerReader")
                || java.nio.Buffer.class.isAssignableFrom(t)
                || t.getName().endsWith("BoundedBuffer");
        // Login7.clientId is the 6-byte MAC address the existing model keeps; nothing SSPI-related
        if (holdsBytes && !(c == Login7.class && f.getName().equals("clientId"))) {
          bad.add(c.getSimpleName() + "." + f.getName() + ": " + t.getSimpleName());
        }
      }
    }
    // the readers are transient decoding helpers, never held by a message
    bad.removeIf(s -> s.startsWith("DerReader."));
    assertTrue(bad.isEmpty(), bad.toString());
  }

  private static List<Class<?>> sspiClasses() throws URISyntaxException, java.io.IOException {
    Path root =
        Paths.get(SspiDecoder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = root.resolve("io/tdsagent/tds/sspi");
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".class"))
          .map(p -> root.relativize(p).toString())
          .map(n -> n.substring(0, n.length() - 6).replace('/', '.').replace('\\', '.'))
          .map(SspiNoSecretFieldsTest::load)
          .collect(Collectors.toList());
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
