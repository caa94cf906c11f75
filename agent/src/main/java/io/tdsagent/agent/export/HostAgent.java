package io.tdsagent.agent.export;

/**
 * Whether the OpenTelemetry Java agent runs in this JVM too. Its JDBC instrumentation already makes
 * a CLIENT span for each statement, current while the driver talks to the server: tds-agent's
 * request span then becomes an INTERNAL child of it holding the wire details, so no statement is a
 * CLIENT span twice.
 */
final class HostAgent {
  // Built at run time: the build relocates class-name literals, and this names the OpenTelemetry
  // agent's own class.
  private static final String INITIALIZER =
      String.join(".", "io", "opentelemetry", "javaagent", "bootstrap", "AgentInitializer");

  private HostAgent() {}

  /**
   * Looked up on the bootstrap and the system class loader (where {@code -javaagent} puts the
   * agent's bootstrap).
   */
  static boolean present() {
    return visible(null) || visible(ClassLoader.getSystemClassLoader());
  }

  private static boolean visible(ClassLoader loader) {
    try {
      Class.forName(INITIALIZER, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError | SecurityException e) {
      return false;
    }
  }
}
