package io.tdsagent.agent.tap;

import io.tdsagent.agent.time.ActivationTime;
import io.tdsagent.trace.LoginAttempts;

/**
 * The request for a connection in progress on each thread (a driver makes its attempts on the
 * thread that asked), so each channel it opens is numbered and linked to the attempt before it.
 * Kept here, not in the driver's objects: the advice is the same after an attach, and a detach
 * leaves nothing behind. A request inside another on the same thread belongs to the outer one.
 */
final class ConnectRequests {
  private static final ThreadLocal<LoginAttempts> CURRENT = new ThreadLocal<>();

  private ConnectRequests() {}

  /** True when this call began a request (the matching {@link #end} forgets it). */
  static boolean begin(long requestedNanos) {
    if (CURRENT.get() != null) {
      return false;
    }
    long setUp = ActivationTime.claim(requestedNanos);
    CURRENT.set(new LoginAttempts(setUp >= 0 ? setUp : requestedNanos));
    return true;
  }

  static void end() {
    CURRENT.remove();
  }

  /**
   * The next attempt of this thread's request, or null when no request is known (another driver, an
   * attach mid-way).
   */
  static LoginAttempts.Attempt nextAttempt(long openNanos) {
    LoginAttempts a = CURRENT.get();
    return a == null ? null : a.next(openNanos);
  }
}
