package io.tdsagent.agent.instrumentation.jtds;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.tdsagent.agent.instrumentation.calls.DriverCallAdvice;
import io.tdsagent.agent.instrumentation.hook.HookCheck;
import java.security.ProtectionDomain;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Taps jTDS 1.3's {@code SharedSocket}: {@code sendNetPacket} writes one whole packet and
 * {@code readPacket} returns one whole packet, both plaintext; the constructor opens the TCP
 * socket; {@code enableEncryption} runs the TLS handshake (wrapped in PRELOGIN packets straight
 * on the socket, so it is bracketed, not tapped); {@code cancel} writes its attention packet
 * straight to the socket, so the tap is told of it.
 */
public final class JtdsInstrumentation {
  public static final String SHARED_SOCKET = "net.sourceforge.jtds.jdbc.SharedSocket";

  private JtdsInstrumentation() {}

  static final ElementMatcher.Junction<MethodDescription> CONSTRUCTOR =
      isConstructor().and(takesArguments(1)).and(takesArgument(0, named("net.sourceforge.jtds.jdbc.JtdsConnection")));
  static final ElementMatcher.Junction<MethodDescription> SEND =
      named("sendNetPacket").and(takesArguments(2)).and(takesArgument(1, byte[].class)).and(returns(byte[].class));
  static final ElementMatcher.Junction<MethodDescription> READ =
      named("readPacket").and(takesArguments(byte[].class)).and(returns(byte[].class));
  static final ElementMatcher.Junction<MethodDescription> ENABLE_ENCRYPTION =
      named("enableEncryption").and(takesArguments(String.class));
  static final ElementMatcher.Junction<MethodDescription> CANCEL =
      named("cancel").and(takesArguments(1)).and(returns(boolean.class));
  static final ElementMatcher.Junction<MethodDescription> CLOSE =
      named("close").and(takesArguments(0)).or(named("forceClose").and(takesArguments(0)));

  public static final HookCheck CHECK = new HookCheck("jTDS", "SharedSocket")
      .require(CONSTRUCTOR, "SharedSocket(JtdsConnection)")
      .require(SEND, "byte[] sendNetPacket(VirtualSocket,byte[])")
      .require(READ, "byte[] readPacket(byte[])")
      .require(ENABLE_ENCRYPTION, "enableEncryption(String)")
      .require(CANCEL, "boolean cancel(VirtualSocket)")
      .requireField("socket").requireField("host").requireField("port");

  /** The driver's API calls whose outcome the application sees ({@link DriverCallAdvice}); optional hooks. */
  public static final String DRIVER = "net.sourceforge.jtds.jdbc.Driver";
  public static final java.util.Set<String> CALL_CLASSES = java.util.Set.of(DRIVER,
      "net.sourceforge.jtds.jdbc.JtdsStatement", "net.sourceforge.jtds.jdbc.JtdsPreparedStatement",
      "net.sourceforge.jtds.jdbc.JtdsResultSet", "net.sourceforge.jtds.jdbc.CachedResultSet",
      "net.sourceforge.jtds.jdbc.MSCursorResultSet");
  static final ElementMatcher.Junction<MethodDescription> CONNECT =
      named("connect").and(takesArguments(String.class, java.util.Properties.class));
  static final ElementMatcher.Junction<MethodDescription> CALLS = isPublic().and(not(isStatic()))
      .and(nameStartsWith("execute").or(named("getMoreResults")).or(named("next").and(takesArguments(0))));

  /** A method that does not fit is simply not followed: only the application's outcome is then left off its span. */
  public static DynamicType.Builder<?> transformCalls(DynamicType.Builder<?> builder, TypeDescription type,
      ClassLoader loader, JavaModule module, ProtectionDomain domain) {
    if (DRIVER.equals(type.getName())) {
      return builder.visit(Advice.to(DriverCallAdvice.Connect.class).on(CONNECT));
    }
    return builder.visit(Advice.to(DriverCallAdvice.Call.class).on(CALLS));
  }

  public static DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
      ClassLoader loader, JavaModule module, ProtectionDomain domain) {
    if (!CHECK.fits(type, domain)) {
      return builder;
    }
    return builder
        .visit(Advice.to(JtdsAdvice.Connect.class).on(CONSTRUCTOR))
        .visit(Advice.to(JtdsAdvice.Send.class).on(SEND))
        .visit(Advice.to(JtdsAdvice.Read.class).on(READ))
        .visit(Advice.to(JtdsAdvice.Tls.class).on(ENABLE_ENCRYPTION))
        .visit(Advice.to(JtdsAdvice.Cancel.class).on(CANCEL))
        .visit(Advice.to(JtdsAdvice.Close.class).on(CLOSE));
  }
}
