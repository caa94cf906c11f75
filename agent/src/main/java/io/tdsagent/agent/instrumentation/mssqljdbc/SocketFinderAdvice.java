package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.agent.tap.Taps;
import net.bytebuddy.asm.Advice;

/** {@code SocketFinder.updateResult(Socket, IOException, String)}: how one raced address's connect ended. */
public final class SocketFinderAdvice {
  private SocketFinderAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.Argument(1) Throwable error) {
    Taps.parallelConnectOutcome(error);
  }
}
