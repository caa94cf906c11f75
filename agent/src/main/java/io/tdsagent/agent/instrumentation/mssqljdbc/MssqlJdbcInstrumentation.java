package io.tdsagent.agent.instrumentation.mssqljdbc;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tdsagent.agent.instrumentation.HookCheck;
import java.security.ProtectionDomain;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
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
  public static final String TDS_CHANNEL = "com.microsoft.sqlserver.jdbc.TDSChannel";

  private MssqlJdbcInstrumentation() {}

  private static final ElementMatcher.Junction<MethodDescription> READ =
      named("read").and(takesArguments(byte[].class, int.class, int.class)).and(returns(int.class));
  private static final ElementMatcher.Junction<MethodDescription> WRITE =
      named("write").and(takesArguments(byte[].class, int.class, int.class)).and(returns(void.class));
  /** Returns the connected address from 8.3 on; void before (6.x to 8.2), where the peer is read from the socket. */
  private static final ElementMatcher.Junction<MethodDescription> OPEN =
      named("open").and(takesArgument(0, String.class)).and(takesArgument(1, int.class))
          .and(returns(named("java.net.InetSocketAddress")).or(returns(void.class)));
  private static final ElementMatcher.Junction<MethodDescription> ENABLE_SSL =
      named("enableSSL").and(takesArgument(0, String.class)).and(takesArgument(1, int.class));
  private static final ElementMatcher.Junction<MethodDescription> CLOSE =
      named("close").and(takesArguments(0)).and(returns(void.class));

  static final HookCheck CHECK = new HookCheck("mssql-jdbc", "TDSChannel")
      .require(READ, "read(byte[],int,int)")
      .require(WRITE, "write(byte[],int,int)")
      .require(OPEN, "open(String,int,...)")
      .require(ENABLE_SSL, "enableSSL(String,int,...)")
      .require(CLOSE, "close()");

  public static final String CONNECTION = "com.microsoft.sqlserver.jdbc.SQLServerConnection";
  private static final ElementMatcher.Junction<MethodDescription> TERMINATE =
      named("terminate").and(takesArguments(int.class, String.class, Throwable.class));
  static final HookCheck CONNECTION_CHECK = new HookCheck("mssql-jdbc", "SQLServerConnection")
      .require(TERMINATE, "terminate(int,String,Throwable)").requireField("tdsChannel");

  /** Optional: only the reason of client-side failures is lost if it does not fit. */
  public static DynamicType.Builder<?> transformConnection(DynamicType.Builder<?> builder, TypeDescription type,
      ClassLoader loader, JavaModule module, ProtectionDomain domain) {
    if (!CONNECTION_CHECK.missing(type).isEmpty()) {
      return builder;
    }
    return builder.visit(Advice.to(TerminateAdvice.class).on(TERMINATE))
        .visit(Advice.to(ConnectFailureAdvice.class).on(named("connectHelper")));
  }

  public static DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
      ClassLoader loader, JavaModule module, ProtectionDomain domain) {
    if (!CHECK.fits(type, domain)) {
      return builder;
    }
    // Advice only, no new member: the class can be retransformed after an attach, and restored at detach.
    return builder
        .visit(Advice.to(OpenAdvice.class).on(OPEN))
        .visit(Advice.to(EnableSslAdvice.class).on(ENABLE_SSL))
        .visit(Advice.to(ReadAdvice.class).on(READ))
        .visit(Advice.to(WriteAdvice.class).on(WRITE))
        .visit(Advice.to(CloseAdvice.class).on(CLOSE));
  }

  static List<String> missingHooks(TypeDescription type) {
    return CHECK.missing(type);
  }
}
