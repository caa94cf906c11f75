package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.agent.tap.ChannelTap;
import net.bytebuddy.asm.Advice;

/** {@code TDSChannel.close()}: the end of the attempt, whatever state the login was in. */
public final class CloseAdvice {
  private CloseAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.FieldValue(value = TapField.NAME, readOnly = false) Object tap) {
    if (tap != null) {
      ChannelTap.close(tap);
      tap = null;
    }
  }
}
