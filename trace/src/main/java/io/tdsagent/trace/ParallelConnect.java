package io.tdsagent.trace;

/**
 * One socket of a connect the driver races over several addresses at once (mssql-jdbc's {@code
 * multiSubnetFailover}, and its second and later {@code transparentNetworkIPResolution} attempts):
 * the address, when its TCP connect began and ended, and how it ended. Each is a {@code tcp
 * connect} child of the attempt's login span.
 */
public final class ParallelConnect {
  /** The socket the driver kept. */
  public static final String CONNECTED = "connected";

  /** Connected after another address had won: the driver closed it. */
  public static final String CONNECTED_NOT_USED = "connected, not used";

  /** Its own connect failed (refused, unreachable, timed out). */
  public static final String FAILED = "failed";

  /** Not tried: another address had connected before this one's turn came. */
  public static final String NOT_TRIED = "not tried";

  /** Still connecting when another address won: the driver closed it. */
  public static final String ABANDONED = "abandoned";

  final String address;
  final int port;
  final long start;
  final long end;
  final String outcome;
  final String error;
  final String errorType;

  /** {@code error}, {@code errorType}: the connect's failure (null when it connected). */
  public ParallelConnect(
      String address,
      int port,
      long startNanos,
      long endNanos,
      String outcome,
      String error,
      String errorType) {
    this.address = address;
    this.port = port;
    this.start = startNanos;
    this.end = endNanos;
    this.outcome = outcome;
    this.error = error;
    this.errorType = errorType;
  }
}
