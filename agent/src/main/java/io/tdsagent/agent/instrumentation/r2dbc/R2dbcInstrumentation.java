package io.tdsagent.agent.instrumentation.r2dbc;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tdsagent.agent.instrumentation.hook.HookCheck;
import java.security.ProtectionDomain;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Taps r2dbc-mssql 1.0 (reactive, on Netty) in its own codec layer. Outbound, {@code
 * TdsEncoder.write} receives the driver's messages before it frames them into packets (under
 * login-only TLS, {@code TdsSslHandler.write} sees LOGIN7 before it is encrypted); inbound, {@code
 * StreamDecoder.decode} receives the plaintext as read, in TCP-sized pieces. {@code TdsSslHandler}
 * runs the TLS handshake inside PRELOGIN packets: bracketed, not tapped. The tap of one attempt is
 * kept in an attribute of its Netty channel.
 */
public final class R2dbcInstrumentation {
  public static final String TDS_ENCODER = "io.r2dbc.mssql.client.TdsEncoder";
  public static final String TDS_SSL_HANDLER = "io.r2dbc.mssql.client.ssl.TdsSslHandler";
  public static final String SSL_EVENT_HANDLER = "io.r2dbc.mssql.client.ssl.SslEventHandler";
  public static final String STREAM_DECODER = "io.r2dbc.mssql.client.StreamDecoder";
  public static final String CLIENT = "io.r2dbc.mssql.client.ReactorNettyClient";

  /** Names of the Netty channel attributes (not relocated: the driver's own Netty holds them). */
  static final String TAP_KEY = "tdsagent.tap";

  static final String CLIENT_CLOSE_KEY = "tdsagent.clientClose";

  private R2dbcInstrumentation() {}

  static final ElementMatcher.Junction<MethodDescription> ENCODER_CONSTRUCTOR =
      isConstructor().and(takesArguments(2)).and(takesArgument(1, int.class));
  static final ElementMatcher.Junction<MethodDescription> ENCODER_WRITE =
      named("write")
          .and(takesArguments(3))
          .and(takesArgument(0, named("io.netty.channel.ChannelHandlerContext")));
  static final ElementMatcher.Junction<MethodDescription> SSL_HANDLER_ADDED =
      named("handlerAdded").and(takesArguments(1));
  static final ElementMatcher.Junction<MethodDescription> SSL_WRITE =
      named("write").and(takesArguments(3));
  static final ElementMatcher.Junction<MethodDescription> SSL_EVENT =
      named("userEventTriggered").and(takesArguments(2));
  static final ElementMatcher.Junction<MethodDescription> SSL_INACTIVE =
      named("channelInactive").and(takesArguments(1));
  static final ElementMatcher.Junction<MethodDescription> DECODER_CONSTRUCTOR =
      isConstructor().and(takesArguments(0));
  static final ElementMatcher.Junction<MethodDescription> DECODE =
      named("decode")
          .and(takesArguments(2))
          .and(takesArgument(0, named("io.netty.buffer.ByteBuf")));
  static final ElementMatcher.Junction<MethodDescription> CLIENT_CONSTRUCTOR =
      isConstructor().and(takesArgument(0, named("reactor.netty.Connection")));
  static final ElementMatcher.Junction<MethodDescription> CLIENT_CONNECT =
      named("connect")
          .and(isStatic())
          .and(takesArguments(3))
          .and(takesArgument(0, named("io.r2dbc.mssql.client.ClientConfiguration")))
          .and(returns(named("reactor.core.publisher.Mono")));
  static final ElementMatcher.Junction<MethodDescription> CLIENT_ERROR =
      named("handleConnectionError").and(takesArguments(1)).and(takesArgument(0, Throwable.class));
  static final ElementMatcher.Junction<MethodDescription> CLIENT_CLOSE =
      named("close").and(takesArguments(0));

  static final HookCheck ENCODER_CHECK =
      new HookCheck("r2dbc-mssql", "TdsEncoder")
          .require(ENCODER_CONSTRUCTOR, "TdsEncoder(PacketIdProvider,int)")
          .require(ENCODER_WRITE, "write(ChannelHandlerContext,Object,ChannelPromise)")
          .requireField("headerOptions")
          .requireField("packetSize");
  static final HookCheck SSL_CHECK =
      new HookCheck("r2dbc-mssql", "TdsSslHandler")
          .require(SSL_HANDLER_ADDED, "handlerAdded(ChannelHandlerContext)")
          .require(SSL_WRITE, "write(ChannelHandlerContext,Object,ChannelPromise)")
          .require(SSL_EVENT, "userEventTriggered(ChannelHandlerContext,Object)")
          .require(SSL_INACTIVE, "channelInactive(ChannelHandlerContext)")
          .requireField("sslHandler")
          .requireField("handshakeDone")
          .requireField("state");
  static final HookCheck EVENT_CHECK =
      new HookCheck("r2dbc-mssql", "SslEventHandler")
          .require(SSL_EVENT, "userEventTriggered(ChannelHandlerContext,Object)");
  static final HookCheck DECODER_CHECK =
      new HookCheck("r2dbc-mssql", "StreamDecoder")
          .require(DECODER_CONSTRUCTOR, "StreamDecoder()")
          .require(DECODE, "decode(ByteBuf,MessageDecoder)");
  static final HookCheck CLIENT_CHECK =
      new HookCheck("r2dbc-mssql", "ReactorNettyClient")
          .require(
              CLIENT_CONSTRUCTOR, "ReactorNettyClient(Connection,TdsEncoder,ConnectionContext)")
          .require(CLIENT_CONNECT, "static connect(ClientConfiguration,String,UUID)")
          .require(CLIENT_ERROR, "handleConnectionError(Throwable)")
          .require(CLIENT_CLOSE, "close()")
          .requireField("connection");

  public static boolean handles(String className) {
    return TDS_ENCODER.equals(className)
        || TDS_SSL_HANDLER.equals(className)
        || SSL_EVENT_HANDLER.equals(className)
        || STREAM_DECODER.equals(className)
        || CLIENT.equals(className);
  }

  /**
   * The advice names Netty and r2dbc types, which the agent's class loader may not see (a Spring
   * Boot jar keeps them in its own loader): it is described from class files, the driver's loader
   * resolving those types, and never loaded as a class.
   */
  private static Advice advice(String name, ClassLoader driverLoader) {
    ClassFileLocator locator =
        new ClassFileLocator.Compound(
            ClassFileLocator.ForClassLoader.of(R2dbcInstrumentation.class.getClassLoader()),
            ClassFileLocator.ForClassLoader.of(driverLoader));
    return Advice.to(TypePool.Default.of(locator).describe(ADVICE + "$" + name).resolve(), locator);
  }

  private static final String ADVICE = R2dbcInstrumentation.class.getPackageName() + ".R2dbcAdvice";

  public static DynamicType.Builder<?> transform(
      DynamicType.Builder<?> builder,
      TypeDescription type,
      ClassLoader loader,
      JavaModule module,
      ProtectionDomain domain) {
    switch (type.getName()) {
      case TDS_ENCODER:
        return !ENCODER_CHECK.fits(type, domain)
            ? builder
            : builder
                .visit(advice("EncoderCreated", loader).on(ENCODER_CONSTRUCTOR))
                .visit(advice("Write", loader).on(ENCODER_WRITE));
      case TDS_SSL_HANDLER:
        return !SSL_CHECK.fits(type, domain)
            ? builder
            : builder
                .visit(advice("Connected", loader).on(SSL_HANDLER_ADDED))
                .visit(advice("LoginOnlyWrite", loader).on(SSL_WRITE))
                .visit(advice("TlsEvents", loader).on(SSL_EVENT))
                .visit(advice("Inactive", loader).on(SSL_INACTIVE));
      case SSL_EVENT_HANDLER:
        return !EVENT_CHECK.fits(type, domain)
            ? builder
            : builder.visit(advice("TlsFailed", loader).on(SSL_EVENT));
      case STREAM_DECODER:
        return !DECODER_CHECK.fits(type, domain)
            ? builder
            : builder
                .visit(advice("DecoderCreated", loader).on(DECODER_CONSTRUCTOR))
                .visit(advice("Read", loader).on(DECODE));
      case CLIENT:
        return !CLIENT_CHECK.fits(type, domain)
            ? builder
            : builder
                .visit(advice("ClientConstructed", loader).on(CLIENT_CONSTRUCTOR))
                .visit(advice("ConnectReturned", loader).on(CLIENT_CONNECT))
                .visit(advice("ConnectionError", loader).on(CLIENT_ERROR))
                .visit(advice("ClientClose", loader).on(CLIENT_CLOSE));
      default:
        return builder;
    }
  }
}
