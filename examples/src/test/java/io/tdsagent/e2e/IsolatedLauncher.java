package io.tdsagent.e2e;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;

/**
 * Runs an application main in a class loader of its own below the system loader, as a Spring Boot
 * jar does: the driver and its libraries are not on the class path the agent's loader sees. The
 * system class path holds this class only; {@code tds.e2e.app.cp} and {@code tds.e2e.app.main} say
 * what to run. With {@code tds.e2e.app.parent=platform} the loader's parent is the platform loader,
 * as an application server's web-app or module loader: then not even the system class path (where
 * {@code -javaagent} puts the agent) is seen, and the launcher prints whether the agent's classes
 * are visible from the application's loader.
 */
public final class IsolatedLauncher {
  private IsolatedLauncher() {}

  public static void main(String[] args) throws Exception {
    String[] entries = System.getProperty("tds.e2e.app.cp").split(File.pathSeparator);
    URL[] urls = new URL[entries.length];
    for (int i = 0; i < entries.length; i++) {
      urls[i] = Paths.get(entries[i]).toUri().toURL();
    }
    boolean platform = "platform".equals(System.getProperty("tds.e2e.app.parent"));
    ClassLoader parent =
        platform ? ClassLoader.getPlatformClassLoader() : IsolatedLauncher.class.getClassLoader();
    URLClassLoader app = new URLClassLoader("application", urls, parent);
    if (platform) {
      System.out.println("AGENT VISIBLE " + visible(app, "io.tdsagent.agent.tap.Taps"));
    }
    Thread.currentThread().setContextClassLoader(app);
    Class<?> main = Class.forName(System.getProperty("tds.e2e.app.main"), true, app);
    main.getMethod("main", String[].class).invoke(null, (Object) args);
  }

  private static boolean visible(ClassLoader loader, String name) {
    try {
      Class.forName(name, false, loader);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
