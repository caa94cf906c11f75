package io.tdsagent.agent.instrumentation.calls;

import io.tdsagent.agent.instrumentation.weave.Hook;
import io.tdsagent.agent.tap.DriverCalls;

/**
 * What the calls woven into the drivers' API methods reach (statement execution, reading a row or
 * the next result, getConnection): the application's outcome of each, for the request or login it
 * belongs to. Only woven where the driver's loader sees the agent's classes. Nothing thrown here
 * reaches the driver.
 */
public final class DriverCallHooks {
  private DriverCallHooks() {}

  private static final String SELF = "io/tdsagent/agent/instrumentation/calls/DriverCallHooks";

  /** {@code hook} woven with the calls that follow one driver API call: entry, return and throw. */
  public static Hook followed(Hook hook) {
    return hook.onEnter(SELF, "callEntered", "()V")
        .onReturn(SELF, "callReturned", "()V")
        .onThrow(SELF, "callThrew", "(Ljava/lang/Throwable;)V", "thrown");
  }

  public static void callEntered() {
    try {
      DriverCalls.enter(DriverCalls.CALL);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void callReturned() {
    try {
      DriverCalls.exit(DriverCalls.CALL, null);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void callThrew(Throwable thrown) {
    try {
      DriverCalls.exit(DriverCalls.CALL, thrown);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /** jTDS's {@code Driver.connect}: the login and the driver's own set-up after it. */
  public static void connectEntered() {
    try {
      DriverCalls.enter(DriverCalls.CONNECT);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void connectReturned() {
    try {
      DriverCalls.exit(DriverCalls.CONNECT, null);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void connectThrew(Throwable thrown) {
    try {
      DriverCalls.exit(DriverCalls.CONNECT, thrown);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }
}
