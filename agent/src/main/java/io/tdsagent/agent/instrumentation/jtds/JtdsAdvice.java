package io.tdsagent.agent.instrumentation.jtds;

import io.tdsagent.agent.config.CaptureSwitch;
import io.tdsagent.agent.tap.ChannelTap;
import java.net.Socket;
import net.bytebuddy.asm.Advice;

/** The advice for jTDS's SharedSocket: hand-over only, the logic is in {@link ChannelTap}. */
public final class JtdsAdvice {
  private JtdsAdvice() {}

  /** The constructor connects the TCP socket: the attempt starts at its entry. */
  public static final class Connect {
    private Connect() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.This Object self,
        @Advice.Enter long started,
        @Advice.Argument(0) Object connection,
        @Advice.FieldValue("host") String host,
        @Advice.FieldValue("port") int port,
        @Advice.FieldValue("socket") Socket socket,
        @Advice.FieldValue(value = JtdsInstrumentation.FIELD, readOnly = false) Object tap) {
      tap = ChannelTap.connected(self, host, port, started, socket, connection);
    }
  }

  public static final class Send {
    private Send() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.This Object self,
        @Advice.Argument(1) byte[] packet,
        @Advice.FieldValue(value = JtdsInstrumentation.FIELD, readOnly = false) Object tap) {
      if (tap != null) {
        tap = ChannelTap.writePacket(tap, packet);
      } else if (CaptureSwitch.isOn()) {
        tap = ChannelTap.attachLatePacket(self, packet);
      }
    }
  }

  public static final class Read {
    private Read() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.Return byte[] packet,
        @Advice.FieldValue(value = JtdsInstrumentation.FIELD, readOnly = false) Object tap) {
      if (tap != null && packet != null) {
        tap = ChannelTap.readPacket(tap, packet);
      }
    }
  }

  public static final class Tls {
    private Tls() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue(JtdsInstrumentation.FIELD) Object tap) {
      if (tap != null) {
        ChannelTap.tlsStarting(tap, false);
      }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.This Object self,
        @Advice.Thrown Throwable thrown,
        @Advice.FieldValue(JtdsInstrumentation.FIELD) Object tap) {
      if (tap != null) {
        ChannelTap.tlsFinished(tap, self, thrown);
      }
    }
  }

  /** cancel() writes an 8-byte ATTENTION straight to the socket, bypassing sendNetPacket. */
  public static final class Cancel {
    private Cancel() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.Return boolean sent,
        @Advice.FieldValue(JtdsInstrumentation.FIELD) Object tap) {
      if (tap != null && sent) {
        ChannelTap.attentionSent(tap);
      }
    }
  }

  public static final class Close {
    private Close() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue(value = JtdsInstrumentation.FIELD, readOnly = false) Object tap) {
      if (tap != null) {
        ChannelTap.close(tap);
        tap = null;
      }
    }
  }
}
