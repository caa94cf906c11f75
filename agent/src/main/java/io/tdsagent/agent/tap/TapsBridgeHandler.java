package io.tdsagent.agent.tap;

import io.tdsagent.bridge.TdsBridge;
import java.net.Socket;

/** The agent's side of {@link TdsBridge}: each call goes to {@link Taps}. */
public final class TapsBridgeHandler implements TdsBridge.Handler {
  @Override
  public void open(Object channel, String host, int port) {
    Taps.open(channel, host, port);
  }

  @Override
  public void opened(Object channel, Object address, Throwable thrown) {
    Taps.opened(channel, address, thrown);
  }

  /**
   * jTDS's connect start, per thread: the constructor's entry and return run on the same thread.
   */
  private static final ThreadLocal<long[]> CONNECT_STARTED =
      ThreadLocal.withInitial(() -> new long[1]);

  @Override
  public void connecting() {
    CONNECT_STARTED.get()[0] = System.nanoTime();
  }

  @Override
  public void connected(Object channel, String host, int port, Socket socket, Object connection) {
    Taps.connected(channel, host, port, CONNECT_STARTED.get()[0], socket, connection);
  }

  @Override
  public void write(Object channel, byte[] data, int offset, int length) {
    Taps.write(channel, data, offset, length);
  }

  @Override
  public void read(Object channel, byte[] data, int offset, int count) {
    Taps.read(channel, data, offset, count);
  }

  @Override
  public void writePacket(Object channel, byte[] packet) {
    Taps.writePacket(channel, packet);
  }

  @Override
  public void readPacket(Object channel, byte[] packet) {
    Taps.readPacket(channel, packet);
  }

  @Override
  public void readFailed(Object channel, Throwable thrown) {
    Taps.readFailed(channel, thrown);
  }

  @Override
  public void attentionSent(Object channel) {
    Taps.attentionSent(channel);
  }

  @Override
  public void tlsStarting(Object channel, boolean strict) {
    Taps.tlsStarting(channel, strict);
  }

  @Override
  public void tlsFinished(Object channel, Throwable thrown) {
    Taps.tlsFinished(channel, thrown);
  }

  @Override
  public void clientError(Object channel, String message, Throwable cause) {
    Taps.clientError(channel, message, cause);
  }

  @Override
  public void close(Object channel) {
    Taps.close(channel);
  }
}
