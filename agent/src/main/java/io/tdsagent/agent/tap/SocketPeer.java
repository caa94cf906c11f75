package io.tdsagent.agent.tap;

import java.lang.reflect.Field;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * The connected address of a driver channel whose connect method returns nothing (mssql-jdbc 6.x to 8.2):
 * read from its socket field once the connect has returned. Absent, not guessed, when the field is not there.
 */
final class SocketPeer {
  private static final ClassValue<Field> SOCKET_FIELD = new ClassValue<>() {
    @Override
    protected Field computeValue(Class<?> type) {
      try {
        Field f = type.getDeclaredField("tcpSocket");
        f.setAccessible(true);
        return Socket.class.isAssignableFrom(f.getType()) ? f : null;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  };

  private SocketPeer() {}

  static SocketAddress remote(Object channel) {
    try {
      Field f = SOCKET_FIELD.get(channel.getClass());
      Socket s = f == null ? null : (Socket) f.get(channel);
      return s == null ? null : s.getRemoteSocketAddress();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
