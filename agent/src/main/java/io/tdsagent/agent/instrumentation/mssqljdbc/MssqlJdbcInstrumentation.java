package io.tdsagent.agent.instrumentation.mssqljdbc;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tdsagent.agent.instrumentation.calls.DriverCallAdvice;
import io.tdsagent.agent.instrumentation.hook.HookCheck;
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
  private static final ElementMatcher.Junction<MethodDescription> CONNECT =
      named("connect").and(takesArguments(2)).and(takesArgument(0, java.util.Properties.class));
  static final HookCheck CONNECTION_CHECK = new HookCheck("mssql-jdbc", "SQLServerConnection")
      .require(TERMINATE, "terminate(int,String,Throwable)").requireField("tdsChannel");

  /** getConnection (the login and anything the driver sends before it returns) and every command's execution. */
  private static final ElementMatcher.Junction<MethodDescription> EXECUTE_COMMAND =
      named("executeCommand").and(takesArguments(1));
  /** Where rows and further results are read after the command returned. */
  public static final String RESULT_SET = "com.microsoft.sqlserver.jdbc.SQLServerResultSet";
  public static final String STATEMENT = "com.microsoft.sqlserver.jdbc.SQLServerStatement";
  private static final ElementMatcher.Junction<MethodDescription> READS =
      named("next").and(takesArguments(0)).or(named("getMoreResults"));

  /** The driver's API calls whose outcome the application sees ({@link DriverCallAdvice}); optional hooks. */
  public static DynamicType.Builder<?> transformCalls(DynamicType.Builder<?> builder, TypeDescription type,
      ClassLoader loader, JavaModule module, ProtectionDomain domain) {
    return builder.visit(Advice.to(DriverCallAdvice.Call.class).on(READS));
  }

  public static final String SOCKET_CONNECTOR = "com.microsoft.sqlserver.jdbc.SocketConnector";
  public static final String SOCKET_FINDER = "com.microsoft.sqlserver.jdbc.SocketFinder";
  private static final ElementMatcher.Junction<MethodDescription> RUN = named("run").and(takesArguments(0));
  private static final ElementMatcher.Junction<MethodDescription> UPDATE_RESULT = named("updateResult")
      .and(takesArguments(3)).and(takesArgument(1, named("java.io.IOException")));
  private static final ElementMatcher.Junction<MethodDescription> CONNECTED_SOCKET = named("getConnectedSocket")
      .and(takesArguments(2)).and(takesArgument(0, named("java.net.InetSocketAddress")));
  static final HookCheck CONNECTOR_CHECK = new HookCheck("mssql-jdbc", "SocketConnector")
      .require(RUN, "run()").requireField("socketFinder").requireField("inetSocketAddress").requireField("socket");
  static final HookCheck FINDER_CHECK = new HookCheck("mssql-jdbc", "SocketFinder")
      .require(UPDATE_RESULT, "updateResult(Socket,IOException,String)").requireField("conn")
      .requireField("selectedSocket");

  /**
   * Optional: the sockets of a connect raced over several addresses ({@code multiSubnetFailover}, later
   * {@code transparentNetworkIPResolution} attempts). If these do not fit, the attempt shows one tcp connect.
   */
  public static DynamicType.Builder<?> transformRace(DynamicType.Builder<?> builder, TypeDescription type,
      ClassLoader loader, JavaModule module, ProtectionDomain domain) {
    if (type.getName().equals(SOCKET_CONNECTOR)) {
      return CONNECTOR_CHECK.missing(type).isEmpty()
          ? builder.visit(Advice.to(SocketConnectorAdvice.class).on(RUN)) : builder;
    }
    return FINDER_CHECK.missing(type).isEmpty()
        ? builder.visit(Advice.to(SocketFinderAdvice.class).on(UPDATE_RESULT))
            .visit(Advice.to(ConnectAddressAdvice.class).on(CONNECTED_SOCKET)) : builder;
  }

  /** Optional: only the reason of client-side failures (and the application's outcome) is lost if it does not fit. */
  public static DynamicType.Builder<?> transformConnection(DynamicType.Builder<?> builder, TypeDescription type,
      ClassLoader loader, JavaModule module, ProtectionDomain domain) {
    // Attempts are numbered and linked where connect(Properties, SQLServerPooledConnection) exists (every release).
    builder = builder.visit(Advice.to(ConnectAdvice.class).on(CONNECT))
        .visit(Advice.to(DriverCallAdvice.Connect.class).on(CONNECT))
        .visit(Advice.to(DriverCallAdvice.Call.class).on(EXECUTE_COMMAND));
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
