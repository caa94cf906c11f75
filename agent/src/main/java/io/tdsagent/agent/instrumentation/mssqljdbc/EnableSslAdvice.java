package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.bridge.TdsBridge;
import net.bytebuddy.asm.Advice;

/**
 * {@code TDSChannel.enableSSL(...)}: the TLS handshake. Under TDS 8 strict it runs straight on
 * TCP, before PRELOGIN, and never passes through read/write: this bracket is its only witness.
 */
public final class EnableSslAdvice {
  private EnableSslAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Object channel, @Advice.AllArguments Object[] args) {
    TdsBridge.tlsStarting(channel, args);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.This Object channel, @Advice.Thrown Throwable thrown) {
    TdsBridge.tlsFinished(channel, thrown);
  }
}
