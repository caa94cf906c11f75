package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.bridge.TdsBridge;
import net.bytebuddy.asm.Advice;

/** {@code TDSChannel.close()}: the end of the attempt, whatever state the login was in. */
public final class CloseAdvice {
  private CloseAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Object channel) {
    TdsBridge.close(channel);
  }
}
