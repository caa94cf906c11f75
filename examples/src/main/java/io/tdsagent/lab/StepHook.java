package io.tdsagent.lab;

import java.io.IOException;

/**
 * Runs before each {@link Step} of each connection, on the connection's thread. A hook can delay a
 * step (sleep) or make it fail (throw: the server drops the connection).
 */
@FunctionalInterface
public interface StepHook {
  void before(Step step, int spid) throws IOException;
}
