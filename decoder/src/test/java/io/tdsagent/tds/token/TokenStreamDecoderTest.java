package io.tdsagent.tds.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.login.FeatureId;
import io.tdsagent.testutil.TdsBytes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenStreamDecoderTest {
  private final List<Token> tokens = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();

  private boolean decode(byte[] b, int version) {
    tokens.clear();
    errors.clear();
    return TokenStreamDecoder.decode(
        b,
        0,
        b.length,
        version,
        new TokenSink() {
          @Override
          public void onToken(Token token) {
            tokens.add(token);
          }

          @Override
          public void onError(String reason) {
            errors.add(reason);
          }
        });
  }

  @Test
  void loginResponse() {
    byte[] fedAuthInfoBody =
        new TdsBytes.Out()
            .u32le(2)
            .u8(1)
            .u32le(6)
            .u32le(22)
            .u8(2)
            .u32le(4)
            .u32le(28)
            .bytes(TdsBytes.utf16("sts"))
            .bytes(TdsBytes.utf16("sp"))
            .toByteArray();
    byte[] stream =
        TdsBytes.concat(
            TdsBytes.envChangeString(1, "demo", "master"),
            TdsBytes.envChangeString(4, "8000", "4096"),
            TdsBytes.serverMessage(false, 5701, 2, 0, "Changed database context to 'demo'.", "SRV"),
            TdsBytes.loginAck(0x74000004, "Microsoft SQL Server", 16, 0, 0x10, 0x00),
            new TdsBytes.Out()
                .u8(0xAE)
                .u8(0x0A)
                .u32le(1)
                .u8(1)
                .u8(0x01)
                .u32le(2)
                .u8(7)
                .u8(8)
                .u8(0xFF)
                .toByteArray(),
            new TdsBytes.Out().u8(0xED).u16le(3).u8(1).u8(2).u8(3).toByteArray(),
            new TdsBytes.Out()
                .u8(0xEE)
                .u32le(fedAuthInfoBody.length)
                .bytes(fedAuthInfoBody)
                .toByteArray(),
            new TdsBytes.Out().u8(0x79).u32le(0).toByteArray(),
            TdsBytes.done(0xFE, 0x01, 0xC1, 3),
            TdsBytes.done(0xFF, 0x10, 0xC1, 5),
            TdsBytes.done(0xFD, 0x00, 0, 0));
    assertTrue(decode(stream, 0x74000004), errors.toString());
    assertEquals(12, tokens.size(), tokens.toString());
    EnvChange db = (EnvChange) tokens.get(0);
    assertEquals(EnvChangeType.DATABASE, db.envType());
    assertEquals("demo", db.newValue());
    assertEquals("master", db.oldValue());
    assertEquals("8000", ((EnvChange) tokens.get(1)).newValue());
    ServerMessage info = (ServerMessage) tokens.get(2);
    assertFalse(info.isError());
    assertEquals(5701, info.number());
    assertEquals(2, info.state());
    assertEquals("SRV", info.serverName());
    assertEquals(1, info.lineNumber());
    LoginAck ack = (LoginAck) tokens.get(3);
    assertEquals(0x74000004, ack.tdsVersion());
    assertEquals("Microsoft SQL Server", ack.progName());
    assertEquals("16.0.4096", ack.progVersion());
    assertEquals(FeatureId.UTF8_SUPPORT, ((FeatureExtAck) tokens.get(4)).featureId());
    assertEquals(FeatureId.SESSIONRECOVERY, ((FeatureExtAck) tokens.get(5)).featureId());
    assertArrayEquals(new byte[] {7, 8}, ((FeatureExtAck) tokens.get(5)).data());
    assertEquals(3, ((SspiToken) tokens.get(6)).length());
    FedAuthInfo fa = (FedAuthInfo) tokens.get(7);
    assertEquals("sts", fa.stsUrl());
    assertEquals("sp", fa.spn());
    assertEquals(TokenType.RETURNSTATUS, tokens.get(8).type());
    Done dp = (Done) tokens.get(9);
    assertEquals(TokenType.DONEPROC, dp.type());
    assertTrue(dp.isMore());
    assertEquals(3, dp.rowCount());
    Done dip = (Done) tokens.get(10);
    assertTrue(dip.isCount());
    assertEquals(5, dip.rowCount());
    assertEquals(TokenType.DONE, tokens.get(11).type());
  }

  @Test
  void failedLoginAndRouting() {
    byte[] stream =
        TdsBytes.concat(
            TdsBytes.serverMessage(true, 18456, 1, 14, "Login failed for user 'x'.", "SRV"),
            TdsBytes.routing("replica.example", 11000),
            TdsBytes.done(0xFD, 0x02, 0, 0));
    assertTrue(decode(stream, 0x74000004));
    ServerMessage err = (ServerMessage) tokens.get(0);
    assertTrue(err.isError());
    assertEquals(14, err.severity());
    EnvChange r = (EnvChange) tokens.get(1);
    assertEquals(EnvChangeType.ROUTING, r.envType());
    assertEquals("replica.example", r.routingServer());
    assertEquals(11000, r.routingPort());
    assertEquals(0, r.routingProtocol());
    assertTrue(((Done) tokens.get(2)).isError());
  }

  @Test
  void binaryEnvChangesAndNarrowDone() {
    byte[] collation =
        new TdsBytes.Out()
            .u8(0xE3)
            .u16le(8)
            .u8(7)
            .u8(5)
            .bytes(TdsBytes.hex("0904d00034"))
            .u8(0)
            .toByteArray();
    byte[] begin =
        new TdsBytes.Out()
            .u8(0xE3)
            .u16le(11)
            .u8(8)
            .u8(8)
            .bytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})
            .u8(0)
            .toByteArray();
    byte[] done71 = new TdsBytes.Out().u8(0xFD).u16le(0x10).u16le(0xC1).u32le(9).toByteArray();
    assertTrue(decode(TdsBytes.concat(collation, begin, done71), 0x71000001), errors.toString());
    EnvChange c = (EnvChange) tokens.get(0);
    assertEquals(EnvChangeType.SQL_COLLATION, c.envType());
    assertArrayEquals(TdsBytes.hex("0904d00034"), c.newBytes());
    assertEquals(EnvChangeType.BEGIN_TRANSACTION, ((EnvChange) tokens.get(1)).envType());
    assertEquals(9, ((Done) tokens.get(2)).rowCount());
  }

  @Test
  void undeterminableOrMalformedTokensStopWithError() {
    byte[] stream =
        TdsBytes.concat(TdsBytes.envChangeString(1, "a", "b"), new byte[] {(byte) 0x81, 1, 0, 0});
    assertFalse(decode(stream, 0));
    assertEquals(1, tokens.size());
    assertEquals(1, errors.size());
    assertTrue(errors.get(0).contains("COLMETADATA"), errors.get(0));

    assertFalse(decode(new byte[] {(byte) 0xAD, 50, 0, 1}, 0), "truncated LOGINACK");
    assertEquals(1, errors.size());
    assertFalse(decode(new byte[] {0x02, 0}, 0), "unknown variable-count token");
  }

  @Test
  void allEnvChangeTypesHaveSpecNames() {
    assertEquals(EnvChangeType.ROUTING, EnvChangeType.fromByte(20));
    assertEquals(EnvChangeType.RESETCONNECTION_ACK, EnvChangeType.fromByte(18));
    assertEquals(EnvChangeType.PROMOTE_TRANSACTION, EnvChangeType.fromByte(15));
    assertEquals(EnvChangeType.UNKNOWN, EnvChangeType.fromByte(14));
    assertEquals(TokenType.FEDAUTHINFO, TokenType.fromCode(0xEE));
  }
}
