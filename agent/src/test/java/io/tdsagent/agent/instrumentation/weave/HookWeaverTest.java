package io.tdsagent.agent.instrumentation.weave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The woven calls run where the hooks say, with the driver's values, and leave the driver's own
 * behaviour as it was.
 */
class HookWeaverTest {
  private static final String P = "io/tdsagent/agent/instrumentation/weave/HookWeaverTest$Probe";
  private static final String O = "Ljava/lang/Object;";

  /** What the woven calls reach. */
  public static final class Probe {
    static final List<Object[]> CALLS = new ArrayList<>();

    public static void read(int count, Object self, byte[] data, int offset) {
      CALLS.add(new Object[] {"read", count, self, data, offset});
    }

    public static void enter(Object self, String host, boolean strict) {
      CALLS.add(new Object[] {"enter", self, host, strict});
    }

    public static void returned(Object value, Object self) {
      CALLS.add(new Object[] {"returned", value, self});
    }

    public static void thrownSafely(Throwable t, Object field) {
      CALLS.add(new Object[] {"thrown", t, field});
    }
  }

  /** Stands for a driver class. */
  @SuppressWarnings("unused")
  public static final class Channel {
    private final String name = "the-channel";

    public int read(byte[] b, int off, int len) {
      return len - 1;
    }

    public String open(String host, int port, int a, int b, int c, boolean strict)
        throws IOException {
      if (port == 0) {
        throw new IOException("refused");
      }
      try {
        if (port == 1) {
          throw new IllegalArgumentException("caught inside");
        }
      } catch (IllegalArgumentException e) {
        return "recovered";
      }
      return host + ":" + port;
    }

    public int reassigns(byte[] b, int off, int len) {
      off++;
      return off;
    }
  }

  private static final HookWeaver WEAVER =
      new HookWeaver(
          "test",
          "Channel",
          List.of(
              Hook.required("read(byte[],int,int)", "read", "[BII", true, "I")
                  .onReturn(P, "read", "(I" + O + "[BI)V", "return", "this", "arg0", "arg1"),
              Hook.required(
                      "open(String,int,...)",
                      "open",
                      "Ljava/lang/String;I",
                      false,
                      "Ljava/lang/String;")
                  .onEnter(P, "enter", "(" + O + "Ljava/lang/String;Z)V", "this", "arg0", "tds8")
                  .onReturn(P, "returned", "(" + O + O + ")V", "return", "this")
                  .onThrow(
                      P,
                      "thrownSafely",
                      "(Ljava/lang/Throwable;" + O + ")V",
                      "thrown",
                      "field:name")),
          Map.of("name", "Ljava/lang/String;"));

  @BeforeEach
  void clear() {
    Probe.CALLS.clear();
  }

  private static Object wovenChannel(HookWeaver weaver) throws Exception {
    byte[] woven = weaver.weave(ClassBytes.of(Channel.class), null);
    assertNotNull(woven);
    ClassLoader loader =
        new ClassLoader(HookWeaverTest.class.getClassLoader()) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(Channel.class.getName())) {
              synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : defineClass(name, woven, 0, woven.length);
              }
            }
            return super.loadClass(name, resolve);
          }
        };
    return loader.loadClass(Channel.class.getName()).getConstructor().newInstance();
  }

  private static Object call(Object target, String method, Class<?>[] types, Object... args)
      throws Throwable {
    Method m = target.getClass().getMethod(method, types);
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void exitCallsSeeTheReturnedValueAndTheArguments() throws Throwable {
    Object channel = wovenChannel(WEAVER);
    byte[] data = new byte[4];
    assertEquals(
        6, call(channel, "read", new Class<?>[] {byte[].class, int.class, int.class}, data, 3, 7));
    assertEquals(1, Probe.CALLS.size());
    Object[] c = Probe.CALLS.get(0);
    assertEquals("read", c[0]);
    assertEquals(6, c[1]);
    assertSame(channel, c[2]);
    assertSame(data, c[3]);
    assertEquals(3, c[4]);
  }

  @Test
  void enterAndReturnAroundANormalCall() throws Throwable {
    Object channel = wovenChannel(WEAVER);
    Class<?>[] types = {String.class, int.class, int.class, int.class, int.class, boolean.class};
    assertEquals("h:1433", call(channel, "open", types, "h", 1433, 0, 0, 0, true));
    assertArrayEquals(new Object[] {"enter", channel, "h", true}, Probe.CALLS.get(0));
    assertArrayEquals(new Object[] {"returned", "h:1433", channel}, Probe.CALLS.get(1));
    assertEquals(2, Probe.CALLS.size());
  }

  @Test
  void theMethodsOwnHandlersCatchFirst() throws Throwable {
    Object channel = wovenChannel(WEAVER);
    Class<?>[] types = {String.class, int.class, int.class, int.class, int.class, boolean.class};
    assertEquals("recovered", call(channel, "open", types, "h", 1, 0, 0, 0, false));
    assertEquals(
        List.of("enter", "returned"), List.of(Probe.CALLS.get(0)[0], Probe.CALLS.get(1)[0]));
  }

  @Test
  void aThrowingMethodThrowsTheSameExceptionAfterTheCall() throws Throwable {
    Object channel = wovenChannel(WEAVER);
    Class<?>[] types = {String.class, int.class, int.class, int.class, int.class, boolean.class};
    IOException e =
        assertThrows(IOException.class, () -> call(channel, "open", types, "h", 0, 0, 0, 0, false));
    assertEquals("refused", e.getMessage());
    assertEquals(2, Probe.CALLS.size());
    assertArrayEquals(new Object[] {"thrown", e, "the-channel"}, Probe.CALLS.get(1));
  }

  @Test
  void aMethodThatAssignsAParameterReadAtExitIsLeftAlone() {
    HookWeaver w =
        new HookWeaver(
            "test",
            "Channel",
            List.of(
                Hook.required("reassigns", "reassigns", "[BII", true, "I")
                    .onReturn(P, "read", "(I" + O + "[BI)V", "return", "this", "arg0", "arg1")),
            Map.of());
    assertNull(w.weave(ClassBytes.of(Channel.class), null));
  }

  @Test
  void aClassWithoutTheHooksIsNamedAndLeftAlone() {
    assertEquals(
        List.of("read(byte[],int,int)", "open(String,int,...)", "field name"),
        WEAVER.missing(ClassBytes.of(Object.class)));
    assertNull(WEAVER.weave(ClassBytes.of(Object.class), null));
  }

  /** The hooked methods are there, the field a call reads is not. */
  public static final class ChannelWithoutName {
    public int read(byte[] b, int off, int len) {
      return len;
    }

    public String open(String host, int port) throws IOException {
      return host;
    }
  }

  /** The field a call reads is there, of another type. */
  @SuppressWarnings("unused")
  public static final class ChannelWithAnIntName {
    private final int name = 7;

    public int read(byte[] b, int off, int len) {
      return len;
    }

    public String open(String host, int port) throws IOException {
      return host;
    }
  }

  /**
   * Checked and woven in one pass: a hooked method is rewritten before the end of the class shows
   * that a field its call reads does not fit; the copy is dropped, the class named, nothing thrown.
   */
  @Test
  void aFieldThatDoesNotFitIsFoundInTheSamePassAndTheCopyDropped() {
    for (Class<?> c : List.of(ChannelWithoutName.class, ChannelWithAnIntName.class)) {
      List<String> missing = new ArrayList<>();
      assertNull(WEAVER.weave(ClassBytes.of(c), null, missing), c.getSimpleName());
      assertEquals(List.of("field name"), missing, c.getSimpleName());
      assertNull(WEAVER.weave(ClassBytes.of(c), null), c.getSimpleName());
    }
  }
}
