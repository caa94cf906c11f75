package io.tdsagent.tds.packet;

import io.tdsagent.tds.wire.BoundedBuffer;
import java.util.function.Consumer;

/**
 * Convenience layer over {@link PacketReassembler} for callers that want whole messages and whole
 * packets (tests, offline tools). Messages longer than {@code maxMessageBytes} are reported and
 * skipped. The conversation does not use it: it buffers only the messages it needs to decode.
 */
final class MessageAssembler {

  public interface Listener {
    default void onPacket(PacketHeader header) {}

    void onMessage(TdsMessage message);

    default void onError(String reason) {}
  }

  private final PacketReassembler reassembler;
  private final BoundedBuffer buffer;
  private boolean overflow;

  public MessageAssembler(int maxMessageBytes, Listener listener) {
    this.buffer = new BoundedBuffer(4096, maxMessageBytes);
    this.reassembler =
        new PacketReassembler(
            new PacketReassembler.Sink() {
              @Override
              public void onMessageStart(PacketReassembler r) {
                buffer.clear();
                overflow = false;
              }

              @Override
              public void onPacketStart(PacketReassembler r) {
                listener.onPacket(r.header());
              }

              @Override
              public void onPayload(PacketReassembler r, byte[] buf, int off, int len) {
                if (!overflow && !buffer.append(buf, off, len)) {
                  overflow = true;
                  listener.onError("message longer than " + buffer.cap() + " bytes skipped");
                }
              }

              @Override
              public void onMessageEnd(PacketReassembler r, boolean ignored) {
                if (!ignored && !overflow) {
                  byte[] payload = java.util.Arrays.copyOf(buffer.array(), buffer.size());
                  listener.onMessage(new TdsMessage(r.messageType(), r.status(), payload));
                }
                buffer.clear();
              }

              @Override
              public void onFramingError(PacketReassembler r, String reason) {
                listener.onError(reason);
              }
            });
  }

  public static MessageAssembler collecting(int maxMessageBytes, Consumer<TdsMessage> consumer) {
    return new MessageAssembler(maxMessageBytes, consumer::accept);
  }

  public void feed(byte[] buf, int off, int len) {
    reassembler.feed(buf, off, len, 0L);
  }

  public boolean isFailed() {
    return reassembler.isFailed();
  }
}
