package io.tdsagent.trace;

/**
 * Decides, when a request's response ends, whether the request becomes a span. The agent passes its
 * process-wide rate budget; the replay tool, which has no application to protect, traces every
 * request.
 */
@FunctionalInterface
public interface RequestAdmission {
  /** Every request becomes a span. */
  RequestAdmission ALL = (startNanos, endNanos, notable) -> true;

  /**
   * @param notable the request failed, was cancelled or was cut short: what users look for
   */
  boolean admit(long startNanos, long endNanos, boolean notable);
}
