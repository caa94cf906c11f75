package io.tdsagent.agent.instrumentation.bridge;

import io.tdsagent.agent.tap.TapsBridgeHandler;
import io.tdsagent.bridge.TdsBridge;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes {@link TdsBridge}, which the drivers' advice calls, reachable from the driver's class
 * loader. Where that loader sees the agent's jar (the class path, as usual) nothing is done. Where
 * it does not (an application server's web-app or module loader, whose parent is the platform
 * loader), a small jar holding the bridge's two classes only is written to a temporary file and
 * appended to the bootstrap class path, once, and the agent's handler is handed to that copy. Only
 * then: appending to the bootstrap path turns off class data sharing for other loaders' classes,
 * with a JVM warning, which an ordinary application should not get. The agent's own jar never joins
 * the bootstrap path (its Byte Buddy and OpenTelemetry copies would then be seen by every loader).
 */
public final class BootstrapBridge {
  static final String BRIDGE = "io.tdsagent.bridge.TdsBridge";
  private static final String[] CLASSES = {
    "io/tdsagent/bridge/TdsBridge.class", "io/tdsagent/bridge/TdsBridge$Handler.class"
  };
  private static final String HANDLER = TapsBridgeHandler.class.getName();
  private static volatile Instrumentation inst;
  private static boolean failed; // guarded by BootstrapBridge.class

  private BootstrapBridge() {}

  /** As the agent activates: the bridge the agent's own loader sees gets the handler. */
  public static void install(Instrumentation instrumentation) {
    inst = instrumentation;
    TdsBridge.handler(new TapsBridgeHandler());
  }

  /**
   * Before a driver class defined by {@code loader} is given advice: true when the advice will
   * reach the agent from there (appending the bridge to the bootstrap path if that is what it
   * takes). Never throws.
   */
  public static boolean reachableFrom(ClassLoader loader) {
    if (sees(loader)) {
      return true;
    }
    synchronized (BootstrapBridge.class) {
      if (failed) {
        return false;
      }
      try {
        Class<?> boot = bootstrapCopy();
        if (boot == null) {
          inst.appendToBootstrapClassLoaderSearch(new JarFile(write()));
          boot = bootstrapCopy();
        }
        if (boot != TdsBridge.class) { // the agent's loader found the bridge in its own jar first
          Class<?> handlerType = Class.forName(BRIDGE + "$Handler", false, null);
          Object handler =
              new HandlerLoader(BootstrapBridge.class.getClassLoader())
                  .loadClass(HANDLER)
                  .getDeclaredConstructor()
                  .newInstance();
          boot.getMethod("handler", handlerType).invoke(null, handler);
        }
        Logger.getLogger("io.tdsagent")
            .fine("tds-agent: the bridge is on the bootstrap class path for " + loader);
        return sees(loader);
      } catch (Throwable e) {
        failed = true;
        Logger.getLogger("io.tdsagent")
            .log(
                Level.WARNING,
                "tds-agent: could not put its bridge on the bootstrap "
                    + "class path; drivers in class loaders that cannot see the agent ("
                    + loader
                    + ") are not traced",
                e);
        return false;
      }
    }
  }

  /**
   * The bridge {@code loader} resolves has a handler: ours, or the bootstrap copy once it was given
   * one.
   */
  private static boolean sees(ClassLoader loader) {
    try {
      Class<?> c = Class.forName(BRIDGE, false, loader);
      return c == TdsBridge.class || c.getMethod("handler").invoke(null) != null;
    } catch (ReflectiveOperationException | LinkageError e) {
      return false;
    }
  }

  private static Class<?> bootstrapCopy() {
    try {
      return Class.forName(BRIDGE, false, null);
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  private static File write() throws IOException {
    File jar = Files.createTempFile("tds-agent-bridge", ".jar").toFile();
    jar.deleteOnExit();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar.toPath()))) {
      for (String name : CLASSES) {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes(name));
        out.closeEntry();
      }
    }
    return jar;
  }

  private static byte[] bytes(String resource) throws IOException {
    try (InputStream in = BootstrapBridge.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(resource + " not found in the agent's jar");
      }
      return in.readAllBytes();
    }
  }

  /**
   * Defines a second copy of the handler, implementing the bootstrap copy of the bridge's
   * interface, when the agent's loader had already found the bridge in the agent's jar; everything
   * else it names comes from the agent's loader.
   */
  private static final class HandlerLoader extends ClassLoader {
    HandlerLoader(ClassLoader agent) {
      super(agent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (name.startsWith(BRIDGE)) {
          return Class.forName(name, false, null);
        }
        if (name.equals(HANDLER)) {
          Class<?> c = findLoadedClass(name);
          if (c == null) {
            try {
              byte[] b = bytes(name.replace('.', '/') + ".class");
              c = defineClass(name, b, 0, b.length);
            } catch (IOException e) {
              throw new ClassNotFoundException(name, e);
            }
          }
          return c;
        }
        return super.loadClass(name, resolve);
      }
    }
  }
}
