package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.bridge.TdsBridge;
import net.bytebuddy.asm.Advice;

/** {@code TDSChannel.read(byte[], int, int)}: every plaintext byte the driver reads, and the end of the stream. */
public final class ReadAdvice {
  private ReadAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(
      @Advice.This Object channel,
      @Advice.Argument(0) byte[] data,
      @Advice.Argument(1) int offset,
      @Advice.Return int count) {
    TdsBridge.read(channel, data, offset, count);
  }
}
