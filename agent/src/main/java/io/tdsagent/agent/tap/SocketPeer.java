package io.tdsagent.agent.tap;

import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * The connected address of a driver channel, read from its socket field ({@code tcpSocket} in
 * mssql-jdbc's {@code TDSChannel}, {@code socket} in jTDS's {@code SharedSocket}): for mssql-jdbc
 * 6.x to 8.2, whose connect method returns nothing, and for a channel picked up while already open.
 * Absent, not guessed, when the field is not there.
 */
final class SocketPeer {
  private static final ClassValue<Field> SOCKET_FIELD =
      new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> type) {
          for (String name : new String[] {"tcpSocket", "socket"}) {
            try {
              Field f = type.getDeclaredField(name);
              if (Socket.class.isAssignableFrom(f.getType())) {
                f.setAccessible(true);
                return f;
              }
            } catch (ReflectiveOperationException | RuntimeException e) {
              // try the next name
            }
          }
          return null;
        }
      };

  private SocketPeer() {}

  static InetSocketAddress remote(Object channel) {
    try {
      Field f = SOCKET_FIELD.get(channel.getClass());
      Socket s = f == null ? null : (Socket) f.get(channel);
      SocketAddress a = s == null ? null : s.getRemoteSocketAddress();
      return a instanceof InetSocketAddress ? (InetSocketAddress) a : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
