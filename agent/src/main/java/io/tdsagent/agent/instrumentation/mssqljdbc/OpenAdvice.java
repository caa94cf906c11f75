package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.bridge.TdsBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** {@code TDSChannel.open(host, port, ...)}: one connection attempt starts with its TCP connect. */
public final class OpenAdvice {
  private OpenAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Object channel, @Advice.Argument(0) String host, @Advice.Argument(1) int port) {
    TdsBridge.open(channel, host, port);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.This Object channel,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object address,
      @Advice.Thrown Throwable thrown) {
    TdsBridge.opened(channel, address, thrown);
  }
}
