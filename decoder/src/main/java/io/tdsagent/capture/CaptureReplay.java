package io.tdsagent.capture;

import io.tdsagent.tds.conversation.TdsConversation;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.TdsEventListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Feeds every TCP connection of a capture into its own {@link TdsConversation}, in capture order.
 */
public final class CaptureReplay {
  private CaptureReplay() {}

  /**
   * @param listeners gives the listener for each connection as it is first seen
   * @return the number of connections replayed
   */
  public static int replay(Path capture, Function<TcpConnection, TdsEventListener> listeners)
      throws IOException {
    Map<Integer, TdsConversation> conversations = new HashMap<>();
    TcpReassembler tcp =
        new TcpReassembler(
            new TcpStreamListener() {
              private TdsConversation of(TcpConnection c) {
                return conversations.computeIfAbsent(
                    c.id(), id -> new TdsConversation(listeners.apply(c)));
              }

              @Override
              public void onData(
                  TcpConnection c, Direction d, byte[] buf, int off, int len, long ts) {
                if (d == Direction.CLIENT_TO_SERVER) {
                  of(c).onClientBytes(buf, off, len, ts);
                } else {
                  of(c).onServerBytes(buf, off, len, ts);
                }
              }

              @Override
              public void onClose(TcpConnection c, long ts) {
                of(c).onClose(ts);
              }
            });
    try (CaptureReader r = CaptureReader.open(capture)) {
      CapturedFrame f;
      while ((f = r.next()) != null) {
        TcpSegment s = FrameDissector.tcp(f);
        if (s != null) {
          tcp.accept(s);
        }
      }
    }
    tcp.finish();
    return conversations.size();
  }
}
