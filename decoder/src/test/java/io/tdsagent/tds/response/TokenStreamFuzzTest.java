package io.tdsagent.tds.response;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tdsagent.tds.token.Token;
import io.tdsagent.testutil.FuzzSwitch;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fuzz target for the server's token stream (Jazzer; seeds in {@code TokenStreamFuzzTestInputs},
 * the server messages of the real captures). Input: chunk size minus one, a flags byte (bit 0: TDS
 * 7.1 rather than 7.4; bit 1: column encryption on), then the message. Never throws, holds at most
 * its carry limit, and examines at most a small multiple of the bytes whatever the chunking:
 * decoding is linear.
 */
@ExtendWith(FuzzSwitch.class)
class TokenStreamFuzzTest {
  static final int MAX_CARRY = 16 * 1024;

  @FuzzTest(maxDuration = "5m")
  void tokenStream(byte[] input) {
    if (input.length < 2) {
      return;
    }
    int chunk = (input[0] & 0xFF) + 1;
    int flags = input[1];
    TokenStreamParser p =
        new TokenStreamParser(
                new TokenHandler() {
                  @Override
                  public void onToken(Token token) {
                    token.toString();
                  }

                  @Override
                  public void onRow(int tokenType) {}

                  @Override
                  public void onError(String reason) {}
                },
                MAX_CARRY)
            .tdsVersion((flags & 1) != 0 ? 0x71000001 : 0x74000004)
            .columnEncryption((flags & 2) != 0);
    int len = input.length - 2;
    for (int off = 2; off < input.length; off += chunk) {
      p.feed(input, off, Math.min(chunk, input.length - off));
      assertTrue(p.carriedBytes() <= MAX_CARRY, p.carriedBytes() + " bytes carried");
    }
    p.endOfMessage();
    assertTrue(
        p.bytesExamined() <= 4L * len + 64,
        p.bytesExamined() + " bytes examined for " + len + " in chunks of " + chunk);
  }
}
