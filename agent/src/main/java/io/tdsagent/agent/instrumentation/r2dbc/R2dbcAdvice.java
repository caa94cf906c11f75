package io.tdsagent.agent.instrumentation.r2dbc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.r2dbc.mssql.client.ClientConfiguration;
import io.r2dbc.mssql.client.ssl.SslState;
import io.r2dbc.mssql.message.header.HeaderOptions;
import io.r2dbc.mssql.message.tds.ContextualTdsFragment;
import io.r2dbc.mssql.message.tds.FirstTdsFragment;
import io.r2dbc.mssql.message.tds.LastTdsFragment;
import io.r2dbc.mssql.message.tds.TdsFragment;
import io.tdsagent.agent.tap.ChannelTap;
import java.util.function.Consumer;
import net.bytebuddy.asm.Advice;
import reactor.core.publisher.Mono;

/**
 * The advice for r2dbc-mssql, inlined into the driver's classes (so it may name their Netty and
 * r2dbc types): hand-over only. The tap lives in an attribute of the Netty channel, which ends with
 * the channel; the bytes handed over are copies, the driver's buffers are not touched.
 */
public final class R2dbcAdvice {
  private R2dbcAdvice() {}

  /**
   * {@code TdsEncoder(PacketIdProvider, int)}: made as the connect is subscribed, so the attempt
   * starts here.
   */
  public static final class EncoderCreated {
    private EncoderCreated() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object self) {
      R2dbcTaps.encoderCreated(self);
    }
  }

  /**
   * {@code TdsSslHandler.handlerAdded}: added right after the connect (and again when TLS moves it
   * first).
   */
  public static final class Connected {
    private Connected() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.This Object self, @Advice.Argument(0) ChannelHandlerContext ctx) {
      Attribute<Object> slot =
          ctx.channel().attr(AttributeKey.valueOf(R2dbcInstrumentation.TAP_KEY));
      if (slot.get() == null) {
        Object encoder = ctx.pipeline().get(R2dbcInstrumentation.TDS_ENCODER);
        slot.set(R2dbcTaps.connected(encoder, self, ctx.channel().remoteAddress()));
      }
    }
  }

  /**
   * {@code TdsEncoder.write}: the driver's messages on their way to be framed. Raw buffers are left
   * out: they are TLS records (the handshake, wrapped in PRELOGIN here; LOGIN7 under login-only
   * TLS).
   */
  public static final class Write {
    private Write() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(0) ChannelHandlerContext ctx,
        @Advice.Argument(1) Object msg,
        @Advice.FieldValue("headerOptions") HeaderOptions current,
        @Advice.FieldValue("packetSize") int packetSize) {
      if (msg instanceof TdsFragment) {
        Attribute<Object> slot =
            ctx.channel().attr(AttributeKey.valueOf(R2dbcInstrumentation.TAP_KEY));
        Object tap = slot.get();
        if (tap != null) {
          TdsFragment f = (TdsFragment) msg;
          HeaderOptions h =
              f instanceof ContextualTdsFragment
                  ? ((ContextualTdsFragment) f).getHeaderOptions()
                  : current;
          ByteBuf body = f.getByteBuf();
          if (h != null && body != null) {
            byte[] copy = new byte[body.readableBytes()];
            body.getBytes(body.readerIndex(), copy);
            boolean last =
                !(f instanceof FirstTdsFragment)
                    && (f instanceof ContextualTdsFragment || f instanceof LastTdsFragment);
            Object kept =
                R2dbcTaps.message(
                    tap, h.getType().getValue(), h.getStatus().getValue(), last, copy, packetSize);
            if (kept != tap) {
              slot.compareAndSet(tap, kept);
            }
          }
        }
      }
    }
  }

  /**
   * {@code TdsSslHandler.write}: under login-only TLS the LOGIN7 message is encrypted here, before
   * the encoder.
   */
  public static final class LoginOnlyWrite {
    private LoginOnlyWrite() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(0) ChannelHandlerContext ctx,
        @Advice.Argument(1) Object msg,
        @Advice.FieldValue("handshakeDone") boolean handshakeDone,
        @Advice.FieldValue("state") SslState state) {
      if (handshakeDone && state == SslState.LOGIN_ONLY && msg instanceof ContextualTdsFragment) {
        Attribute<Object> slot =
            ctx.channel().attr(AttributeKey.valueOf(R2dbcInstrumentation.TAP_KEY));
        Object tap = slot.get();
        if (tap != null) {
          ContextualTdsFragment f = (ContextualTdsFragment) msg;
          ByteBuf body = f.getByteBuf();
          byte[] copy = new byte[body.readableBytes()];
          body.getBytes(body.readerIndex(), copy);
          HeaderOptions h = f.getHeaderOptions();
          Object kept =
              R2dbcTaps.message(
                  tap, h.getType().getValue(), h.getStatus().getValue(), true, copy, 32767);
          if (kept != tap) {
            slot.compareAndSet(tap, kept);
          }
        }
      }
    }
  }

  /**
   * {@code TdsSslHandler.userEventTriggered}: the driver starts TLS, and learns it is negotiated.
   */
  public static final class TlsEvents {
    private TlsEvents() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(0) ChannelHandlerContext ctx,
        @Advice.Argument(1) Object event,
        @Advice.FieldValue("sslHandler") SslHandler ssl) {
      if (event == SslState.LOGIN_ONLY
          || event == SslState.CONNECTION
          || event == SslState.NEGOTIATED) {
        Object tap = ctx.channel().attr(AttributeKey.valueOf(R2dbcInstrumentation.TAP_KEY)).get();
        if (tap != null) {
          if (event == SslState.NEGOTIATED) {
            ChannelTap.tlsFinished(tap, ssl == null ? null : ssl.engine().getSession(), null);
          } else {
            ChannelTap.tlsStarting(tap, false);
          }
        }
      }
    }
  }

  /**
   * {@code SslEventHandler.userEventTriggered}: a failed handshake is only seen as Netty's
   * completion event.
   */
  public static final class TlsFailed {
    private TlsFailed() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(0) ChannelHandlerContext ctx, @Advice.Argument(1) Object event) {
      if (event instanceof SslHandshakeCompletionEvent
          && !((SslHandshakeCompletionEvent) event).isSuccess()) {
        // The attempt is over: the login ends now, not when (or whether, before the JVM exits) the
        // channel closes.
        Object tap =
            ctx.channel().attr(AttributeKey.valueOf(R2dbcInstrumentation.TAP_KEY)).getAndSet(null);
        if (tap != null) {
          ChannelTap.tlsFinished(tap, null, ((SslHandshakeCompletionEvent) event).cause());
          ChannelTap.close(tap);
        }
      }
    }
  }

  /**
   * {@code ReactorNettyClient(Connection, ...)}: its stream decoder is made inside, on this thread.
   */
  public static final class ClientConstructed {
    private ClientConstructed() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) reactor.netty.Connection connection) {
      R2dbcTaps.clientConstructing(connection.channel());
    }

    @Advice.OnMethodExit(
        suppress = Throwable.class) // (a constructor's exit advice cannot see a throw)
    public static void exit() {
      R2dbcTaps.clientConstructed();
    }
  }

  /**
   * {@code static ReactorNettyClient.connect(ClientConfiguration, String, UUID)}: the Mono of the
   * TCP connect gains a watcher of its failure (a refused or timed-out connect never reaches the
   * handlers above). The driver's Mono is otherwise the same; with nothing to watch it is left as
   * it is.
   */
  public static final class ConnectReturned {
    private ConnectReturned() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.Argument(0) ClientConfiguration config,
        @Advice.Return(readOnly = false) Mono<?> connect) {
      if (connect != null && config != null) {
        Consumer<Throwable> failed =
            R2dbcTaps.connecting(
                config.getHost(), config.getPort(), config.getConnectTimeout().toMillis());
        if (failed != null) {
          connect = connect.doOnError(failed);
        }
      }
    }
  }

  /** {@code StreamDecoder()}: remembers the channel it will read for. */
  public static final class DecoderCreated {
    private DecoderCreated() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object decoder) {
      R2dbcTaps.decoderCreated(decoder);
    }
  }

  /**
   * {@code StreamDecoder.decode(ByteBuf, MessageDecoder)}: plaintext as read, in TCP-sized pieces.
   */
  public static final class Read {
    private Read() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object decoder, @Advice.Argument(0) ByteBuf in) {
      Object channel = R2dbcTaps.channelOf(decoder);
      if (channel != null && in != null && in.isReadable()) {
        Attribute<Object> slot =
            ((Channel) channel).attr(AttributeKey.valueOf(R2dbcInstrumentation.TAP_KEY));
        Object tap = slot.get();
        if (tap != null) {
          int n = in.readableBytes();
          Object kept;
          if (in.hasArray()) {
            kept = ChannelTap.read(tap, in.array(), in.arrayOffset() + in.readerIndex(), n);
          } else { // a direct buffer: read into this thread's scratch array, not a new one per read
            byte[] scratch = R2dbcTaps.scratch(n);
            in.getBytes(in.readerIndex(), scratch, 0, n);
            kept = ChannelTap.read(tap, scratch, 0, n);
          }
          if (kept != tap) {
            slot.compareAndSet(tap, kept);
          }
        }
      }
    }
  }

  /**
   * {@code ReactorNettyClient.close()}: the application closes (the channel closes when the Mono is
   * subscribed).
   */
  public static final class ClientClose {
    private ClientClose() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue("connection") reactor.netty.Connection connection) {
      connection
          .channel()
          .attr(AttributeKey.valueOf(R2dbcInstrumentation.CLIENT_CLOSE_KEY))
          .set(Boolean.TRUE);
    }
  }

  /**
   * {@code ReactorNettyClient.handleConnectionError(Throwable)}: the connection failed (a reset, a
   * broken pipe); runs before the application is told.
   */
  public static final class ConnectionError {
    private ConnectionError() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.FieldValue("connection") reactor.netty.Connection connection,
        @Advice.Argument(0) Throwable error) {
      R2dbcTaps.connectionFailed(
          connection
              .channel()
              .attr(AttributeKey.valueOf(R2dbcInstrumentation.TAP_KEY))
              .getAndSet(null),
          error);
    }
  }

  /**
   * {@code TdsSslHandler.channelInactive}: the channel closed; unless the client closed it first,
   * the server did.
   */
  public static final class Inactive {
    private Inactive() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) ChannelHandlerContext ctx) {
      Object tap =
          ctx.channel().attr(AttributeKey.valueOf(R2dbcInstrumentation.TAP_KEY)).getAndSet(null);
      if (tap != null) {
        if (ctx.channel().attr(AttributeKey.valueOf(R2dbcInstrumentation.CLIENT_CLOSE_KEY)).get()
            == null) {
          ChannelTap.serverClosed(tap);
        }
        ChannelTap.close(tap);
      }
    }
  }
}
