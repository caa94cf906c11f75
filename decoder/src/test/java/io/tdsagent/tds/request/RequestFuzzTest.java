package io.tdsagent.tds.request;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tdsagent.tds.packet.PacketType;
import io.tdsagent.testutil.FuzzSwitch;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fuzz target for client requests (Jazzer; seeds in {@code RequestFuzzTestInputs}, the client
 * messages of the real captures). Input: chunk size minus one, the packet type (0x01 SQL batch,
 * 0x03 RPC, 0x07 bulk load, 0x0E transaction manager), a flags byte (bit 0: TDS 7.1), then the
 * message. Never throws and examines at most a small multiple of the bytes whatever the chunking.
 */
@ExtendWith(FuzzSwitch.class)
class RequestFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void request(byte[] input) {
    if (input.length < 3) {
      return;
    }
    int chunk = (input[0] & 0xFF) + 1;
    PacketType type = PacketType.fromCode(input[1] & 0xFF);
    RequestDecoder d = new RequestDecoder(16 * 1024, 4096, 256, 64);
    d.tdsVersion((input[2] & 1) != 0 ? 0x71000001 : 0x74000004);
    d.start(type);
    int len = input.length - 3;
    for (int off = 3; off < input.length; off += chunk) {
      d.feed(input, off, Math.min(chunk, input.length - off));
    }
    Request r = d.finish();
    String.valueOf(r);
    assertTrue(
        d.bytesExamined() <= 4L * len + 64,
        d.bytesExamined() + " bytes examined for " + len + " in chunks of " + chunk);
  }
}
