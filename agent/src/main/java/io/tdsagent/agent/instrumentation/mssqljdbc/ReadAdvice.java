package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.agent.tap.ChannelTap;
import net.bytebuddy.asm.Advice;

/** {@code TDSChannel.read(byte[], int, int)}: every plaintext byte the driver reads, and the end of the stream. */
public final class ReadAdvice {
  private ReadAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(
      @Advice.Argument(0) byte[] data,
      @Advice.Argument(1) int offset,
      @Advice.Return int count,
      @Advice.FieldValue(value = TapField.NAME, readOnly = false) Object tap) {
    if (tap != null && count > 0) {
      tap = ChannelTap.read(tap, data, offset, count);
    } else if (tap != null && count < 0) {
      ChannelTap.serverClosed(tap);
    }
  }
}
