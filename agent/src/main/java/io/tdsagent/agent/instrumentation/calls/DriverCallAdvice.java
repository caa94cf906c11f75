package io.tdsagent.agent.instrumentation.calls;

import io.tdsagent.agent.tap.DriverCalls;
import net.bytebuddy.asm.Advice;

/** The driver's API calls, entry and exit (thrown or not): hand-over only, the logic is in {@link DriverCalls}. */
public final class DriverCallAdvice {
  private DriverCallAdvice() {}

  /** Statement execution, reading a row or the next result. */
  public static final class Call {
    private Call() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter() {
      DriverCalls.enter(DriverCalls.CALL);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Thrown Throwable thrown) {
      DriverCalls.exit(DriverCalls.CALL, thrown);
    }
  }

  /** The driver's getConnection: the login and the driver's own set-up after it. */
  public static final class Connect {
    private Connect() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter() {
      DriverCalls.enter(DriverCalls.CONNECT);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Thrown Throwable thrown) {
      DriverCalls.exit(DriverCalls.CONNECT, thrown);
    }
  }
}
