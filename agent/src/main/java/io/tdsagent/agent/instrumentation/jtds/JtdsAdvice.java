package io.tdsagent.agent.instrumentation.jtds;

import io.tdsagent.bridge.TdsBridge;
import java.net.Socket;
import net.bytebuddy.asm.Advice;

/** The advice for jTDS's SharedSocket: hand-over only, the logic is behind {@link TdsBridge}. */
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
      TdsBridge.connected(self, host, port, started, socket, connection);
    }
  }

  public static final class Send {
    private Send() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object self, @Advice.Argument(1) byte[] packet) {
      TdsBridge.writePacket(self, packet);
    }
  }

  public static final class Read {
    private Read() {}

    /** jTDS turns the end of the stream into "DB server closed connection." and lets a reset through. */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object self, @Advice.Return byte[] packet, @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        TdsBridge.readPacket(self, packet);
      } else {
        TdsBridge.readFailed(self, thrown);
      }
    }
  }

  public static final class Tls {
    private Tls() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object self) {
      TdsBridge.tlsStarting(self, false);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object self, @Advice.Thrown Throwable thrown) {
      TdsBridge.tlsFinished(self, thrown);
    }
  }

  /** cancel() writes an 8-byte ATTENTION straight to the socket, bypassing sendNetPacket. */
  public static final class Cancel {
    private Cancel() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object self, @Advice.Return boolean sent) {
      if (sent) {
        TdsBridge.attentionSent(self);
      }
    }
  }

  public static final class Close {
    private Close() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object self) {
      TdsBridge.close(self);
    }
  }
}
