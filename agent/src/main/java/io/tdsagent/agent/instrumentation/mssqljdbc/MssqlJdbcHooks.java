package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.agent.instrumentation.calls.DriverCallHooks;
import io.tdsagent.agent.tap.Taps;
import java.util.ArrayDeque;

/**
 * What the calls woven into mssql-jdbc's {@code SQLServerConnection.connect} and its raced connects
 * ({@code SocketConnector}, {@code SocketFinder}) reach; the TDSChannel's byte hooks go through
 * {@code io.tdsagent.bridge.TdsBridge} instead. Only woven where the driver's loader sees the
 * agent's classes. Nothing thrown here reaches the driver.
 */
public final class MssqlJdbcHooks {
  /**
   * Per thread, whether each connect call in progress began an attempt group (connect can nest: a
   * redirect).
   */
  private static final ThreadLocal<ArrayDeque<Boolean>> GROUPS =
      ThreadLocal.withInitial(ArrayDeque::new);

  /** A raced connect's start, on the connector's own thread. */
  private static final ThreadLocal<long[]> RACE_STARTED =
      ThreadLocal.withInitial(() -> new long[1]);

  private MssqlJdbcHooks() {}

  /** {@code connect(Properties, SQLServerPooledConnection)}: getConnection, every attempt of it. */
  public static void connectEntered() {
    try {
      GROUPS.get().push(Taps.connectStarting(System.nanoTime()));
    } catch (Throwable ignored) {
      // never the driver's problem
    }
    DriverCallHooks.connectEntered();
  }

  public static void connectReturned() {
    connectEnded();
    DriverCallHooks.connectReturned();
  }

  public static void connectThrew(Throwable thrown) {
    connectEnded();
    DriverCallHooks.connectThrew(thrown);
  }

  private static void connectEnded() {
    try {
      Boolean began = GROUPS.get().poll();
      Taps.connectEnded(began != null && began);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /** {@code SocketConnector.run()}: one socket of a connect raced over several addresses. */
  public static void raceConnectStarting() {
    try {
      RACE_STARTED.get()[0] = System.nanoTime();
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void raceConnectEnded(Object finder, Object address, Object socket) {
    try {
      Taps.parallelConnectEnded(finder, address, socket, RACE_STARTED.get()[0]);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  public static void raceConnectThrew(
      Throwable thrown, Object finder, Object address, Object socket) {
    raceConnectEnded(finder, address, socket);
  }

  /** {@code SocketFinder.updateResult(Socket, IOException, String)}: a raced socket's outcome. */
  public static void raceOutcome(Object error) {
    try {
      Taps.parallelConnectOutcome((Throwable) error);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }

  /**
   * {@code SocketFinder.getConnectedSocket(InetSocketAddress, int)}: a single-address connect's
   * address.
   */
  public static void connectAddress(Object finder, Object address) {
    try {
      Taps.connectAddress(finder, address);
    } catch (Throwable ignored) {
      // never the driver's problem
    }
  }
}
