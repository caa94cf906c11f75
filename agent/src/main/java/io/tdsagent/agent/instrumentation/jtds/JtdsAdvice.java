package io.tdsagent.agent.instrumentation.jtds;

import io.tdsagent.agent.tap.Taps;
import java.net.Socket;
import net.bytebuddy.asm.Advice;

/** The advice for jTDS's SharedSocket: hand-over only, the logic is in {@link Taps}. */
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
        @Advice.FieldValue("socket") Socket socket) {
      Taps.connected(self, host, port, started, socket, connection);
    }
  }

  public static final class Send {
    private Send() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object self, @Advice.Argument(1) byte[] packet) {
      Taps.writePacket(self, packet);
    }
  }

  public static final class Read {
    private Read() {}

    /** jTDS turns the end of the stream into "DB server closed connection." and lets a reset through. */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object self, @Advice.Return byte[] packet, @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        Taps.readPacket(self, packet);
      } else {
        Taps.readFailed(self, thrown);
      }
    }
  }

  public static final class Tls {
    private Tls() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object self) {
      Taps.tlsStarting(self, false);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object self, @Advice.Thrown Throwable thrown) {
      Taps.tlsFinished(self, thrown);
    }
  }

  /** cancel() writes an 8-byte ATTENTION straight to the socket, bypassing sendNetPacket. */
  public static final class Cancel {
    private Cancel() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object self, @Advice.Return boolean sent) {
      if (sent) {
        Taps.attentionSent(self);
      }
    }
  }

  public static final class Close {
    private Close() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object self) {
      Taps.close(self);
    }
  }
}
