package io.tdsagent.agent.tap;

import io.tdsagent.agent.time.Clock;
import io.tdsagent.trace.ParallelConnect;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * mssql-jdbc's connect raced over several addresses (its {@code SocketFinder}, one {@code
 * SocketConnector} per address on a pool thread): each socket's end is given to the login of the
 * channel being opened, found as the finder's connection's current {@code tdsChannel}. The outcome
 * comes from {@code updateResult}, on the same pool thread just before, through a thread-local. The
 * driver's private fields are read reflectively (once looked up); a driver where they differ is
 * left alone.
 */
final class RaceSockets {
  /** Marks "connected" in {@link #OUTCOME}, where null means "no outcome reported". */
  private static final Throwable CONNECTED = new Throwable("connected", null, false, false) {};

  private static final ThreadLocal<Throwable> OUTCOME = new ThreadLocal<>();
  private static final ClassValue<Field> CONN = fieldOf("conn");
  private static final ClassValue<Field> SELECTED = fieldOf("selectedSocket");
  private static final ClassValue<Field> TDS_CHANNEL = fieldOf("tdsChannel");

  private RaceSockets() {}

  static void outcome(Throwable error) {
    OUTCOME.set(error == null ? CONNECTED : error);
  }

  static void ended(Object finder, Object address, Object socket, long startNanos)
      throws IllegalAccessException {
    long now = Clock.now();
    Throwable reported = OUTCOME.get();
    OUTCOME.remove();
    if (!(address instanceof InetSocketAddress) || finder == null) {
      return;
    }
    Object channel = read(TDS_CHANNEL, read(CONN, finder));
    ChannelTap tap = channel == null ? null : Taps.of(channel);
    if (tap == null) {
      return;
    }
    Object selected = read(SELECTED, finder);
    String outcome;
    if (reported == null) {
      outcome = ParallelConnect.NOT_TRIED; // the race was decided before this address's turn
    } else if (reported == CONNECTED) {
      outcome = selected == socket ? ParallelConnect.CONNECTED : ParallelConnect.CONNECTED_NOT_USED;
    } else {
      // a socket the driver closed because another address won fails with "Socket closed"
      outcome =
          selected != null
                  && selected != socket
                  && socket instanceof Socket
                  && ((Socket) socket).isClosed()
              ? ParallelConnect.ABANDONED
              : ParallelConnect.FAILED;
    }
    InetSocketAddress a = (InetSocketAddress) address;
    String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    ChannelTap.parallelConnect(
        tap,
        new ParallelConnect(
            host,
            a.getPort(),
            startNanos,
            now,
            outcome,
            reported == CONNECTED || reported == null ? null : reported.getMessage(),
            reported == CONNECTED || reported == null ? null : reported.getClass().getName()));
  }

  /** A connect to one address: the address is known before the connect ends, even when it fails. */
  static void tried(Object finder, Object address) throws IllegalAccessException {
    if (!(address instanceof InetSocketAddress)) {
      return;
    }
    Object channel = read(TDS_CHANNEL, read(CONN, finder));
    ChannelTap tap = channel == null ? null : Taps.of(channel);
    if (tap != null) {
      ChannelTap.connectAddress(tap, (InetSocketAddress) address);
    }
  }

  private static Object read(ClassValue<Field> field, Object target) throws IllegalAccessException {
    if (target == null) {
      return null;
    }
    Field f = field.get(target.getClass());
    return f == null ? null : f.get(target);
  }

  private static ClassValue<Field> fieldOf(String name) {
    return new ClassValue<>() {
      @Override
      protected Field computeValue(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
          try {
            Field f = c.getDeclaredField(name);
            f.setAccessible(true);
            return f;
          } catch (NoSuchFieldException e) {
            // a superclass may declare it
          } catch (RuntimeException e) {
            return null; // not accessible (a named module that does not open its package)
          }
        }
        return null;
      }
    };
  }
}
