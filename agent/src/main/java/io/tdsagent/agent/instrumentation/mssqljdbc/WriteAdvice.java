package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.bridge.TdsBridge;
import net.bytebuddy.asm.Advice;

/**
 * {@code TDSChannel.write(byte[], int, int)}: every plaintext byte the driver writes, one whole
 * TDS packet per call. A write is also where a channel opened while capture was off (or before an
 * attach) is picked up: the start of a client packet is a message boundary we can trust.
 */
public final class WriteAdvice {
  private WriteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(
      @Advice.This Object channel,
      @Advice.Argument(0) byte[] data,
      @Advice.Argument(1) int offset,
      @Advice.Argument(2) int length) {
    TdsBridge.write(channel, data, offset, length);
  }
}
