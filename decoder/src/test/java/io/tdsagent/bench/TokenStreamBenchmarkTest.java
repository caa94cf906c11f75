package io.tdsagent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.conversation.TdsConversation;
import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.ResponseEndEvent;
import io.tdsagent.testutil.Recorder;
import io.tdsagent.testutil.TdsBytes;
import org.junit.jupiter.api.Test;

/** The benchmark measures what it claims: its synthetic result decodes fully and without error. */
class TokenStreamBenchmarkTest {
  @Test
  void syntheticResultDecodes() {
    byte[] response =
        TdsBytes.message(
            0x04, TokenStreamBenchmark.resultStream(2000), TokenStreamBenchmark.PACKET);
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    byte[] req = TokenStreamBenchmark.REQUEST;
    c.onClientBytes(req, 0, req.length, 0);
    for (int off = 0; off < response.length; off += 4096) {
      c.onServerBytes(response, off, Math.min(4096, response.length - off), off);
    }
    assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());
    ResponseEndEvent end = r.one(ResponseEndEvent.class);
    assertEquals(2000, end.rowCount());
    assertTrue(end.complete());
  }
}
