package io.tdsagent.agent.instrumentation.mssqljdbc;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.modifier.FieldManifestation;
import net.bytebuddy.description.modifier.FieldPersistence;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Taps mssql-jdbc's {@code TDSChannel}, the one place every plaintext TDS byte passes (see the
 * driver hook-point notes). The class is checked before it is touched: if any hook's signature
 * does not match this driver version, the agent says so once and leaves the class alone.
 */
public final class MssqlJdbcInstrumentation {
  static final String TDS_CHANNEL = "com.microsoft.sqlserver.jdbc.TDSChannel";
  private static final Logger LOG = Logger.getLogger("io.tdsagent");

  private MssqlJdbcInstrumentation() {}

  private static final ElementMatcher.Junction<MethodDescription> READ =
      named("read").and(takesArguments(byte[].class, int.class, int.class)).and(returns(int.class));
  private static final ElementMatcher.Junction<MethodDescription> WRITE =
      named("write").and(takesArguments(byte[].class, int.class, int.class)).and(returns(void.class));
  private static final ElementMatcher.Junction<MethodDescription> OPEN =
      named("open").and(takesArgument(0, String.class)).and(takesArgument(1, int.class))
          .and(returns(named("java.net.InetSocketAddress")));
  private static final ElementMatcher.Junction<MethodDescription> ENABLE_SSL =
      named("enableSSL").and(takesArgument(0, String.class)).and(takesArgument(1, int.class));
  private static final ElementMatcher.Junction<MethodDescription> CLOSE =
      named("close").and(takesArguments(0)).and(returns(void.class));

  public static void install(Instrumentation inst) {
    new AgentBuilder.Default()
        .with(new AgentBuilder.Listener.Adapter() {
          @Override
          public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
            LOG.warning("tds-agent: could not instrument " + typeName + " (" + t + "); this driver is not traced");
          }
        })
        .type(named(TDS_CHANNEL))
        .transform(MssqlJdbcInstrumentation::transform)
        .installOn(inst);
    warnIfAlreadyLoaded(inst);
  }

  private static DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
      ClassLoader loader, JavaModule module, ProtectionDomain domain) {
    List<String> missing = missingHooks(type);
    if (!missing.isEmpty()) {
      LOG.warning("tds-agent: mssql-jdbc " + driverVersion(domain) + " does not have the expected "
          + String.join(", ", missing) + " in TDSChannel; this driver version is not traced");
      return builder;
    }
    // transient + volatile: never serialised with the channel; attention packets write from another thread.
    return builder
        .defineField(TapField.NAME, Object.class, Visibility.PUBLIC, FieldPersistence.TRANSIENT, FieldManifestation.VOLATILE)
        .visit(Advice.to(OpenAdvice.class).on(OPEN))
        .visit(Advice.to(EnableSslAdvice.class).on(ENABLE_SSL))
        .visit(Advice.to(ReadAdvice.class).on(READ))
        .visit(Advice.to(WriteAdvice.class).on(WRITE))
        .visit(Advice.to(CloseAdvice.class).on(CLOSE));
  }

  static List<String> missingHooks(TypeDescription type) {
    List<String> missing = new ArrayList<>();
    check(type, READ, "read(byte[],int,int)", missing);
    check(type, WRITE, "write(byte[],int,int)", missing);
    check(type, OPEN, "InetSocketAddress open(String,int,...)", missing);
    check(type, ENABLE_SSL, "enableSSL(String,int,...)", missing);
    check(type, CLOSE, "close()", missing);
    return missing;
  }

  private static void check(TypeDescription type, ElementMatcher<MethodDescription> m, String what, List<String> missing) {
    if (type.getDeclaredMethods().filter(m).size() != 1) {
      missing.add(what);
    }
  }

  private static String driverVersion(ProtectionDomain domain) {
    try {
      if (domain != null && domain.getCodeSource() != null && domain.getCodeSource().getLocation() != null) {
        return domain.getCodeSource().getLocation().getPath().replaceAll(".*/", "");
      }
    } catch (RuntimeException ignored) {
      // only for the message
    }
    return "(unknown version)";
  }

  /** Attached after the driver was loaded: a field cannot be added any more; say so and stay out. */
  private static void warnIfAlreadyLoaded(Instrumentation inst) {
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (TDS_CHANNEL.equals(c.getName())) {
        LOG.warning("tds-agent: mssql-jdbc was loaded before the agent; its connections are not traced."
            + " Start the JVM with -javaagent to trace them");
        return;
      }
    }
  }

}
