package io.tdsagent.lab.auth.fedauth;

import io.tdsagent.lab.Step;
import io.tdsagent.lab.auth.AuthErrors;
import io.tdsagent.lab.login.LoginExchange;
import io.tdsagent.lab.login.LoginOutcome;
import io.tdsagent.lab.token.ServerMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.logging.Logger;

/**
 * FEDAUTH with the SECURITYTOKEN library (MS-TDS 2.2.6.4 FEATUREEXT 0x02): mssql-jdbc's {@code
 * accessToken}. The feature data is Options (bFedAuthLibrary in the upper 7 bits, fFedAuthEcho in
 * bit 0), then the token's length (DWORD) and the token (UTF-16LE as mssql-jdbc sends it). The
 * token must equal a configured one; the echo must equal the server's PRELOGIN FEDAUTHREQUIRED
 * answer. Never logs a token.
 */
public final class FedAuthAcceptor {
  private static final Logger LOG = Logger.getLogger("io.tdsagent.lab");
  public static final int LIBRARY_SECURITYTOKEN = 0x01;
  public static final int LIBRARY_MSAL = 0x02;

  /** Token to the principal it stands for. */
  private final Map<String, String> principalsByToken;

  public FedAuthAcceptor(Map<String, String> principalsByToken) {
    this.principalsByToken = Map.copyOf(principalsByToken);
  }

  public LoginOutcome accept(
      byte[] featureData, int preloginFedAuthRequired, LoginExchange exchange) throws IOException {
    exchange.step(Step.FEDAUTH);
    if (featureData.length < 1) {
      return LoginOutcome.failure(AuthErrors.tokenRejected());
    }
    int library = (featureData[0] & 0xFF) >>> 1;
    int echo = featureData[0] & 1;
    if (library != LIBRARY_SECURITYTOKEN) {
      LOG.fine(() -> "spid " + exchange.spid() + ": FEDAUTH library " + library + " not supported");
      return LoginOutcome.failure(
          new ServerMessage(
              18456,
              1,
              14,
              "Login failed: the lab server accepts FEDAUTH with the SECURITYTOKEN library (accessToken) only."));
    }
    if (echo != preloginFedAuthRequired) {
      return LoginOutcome.failure(
          new ServerMessage(
              18456,
              1,
              14,
              "Login failed: FEDAUTH echo "
                  + echo
                  + " differs from the PRELOGIN answer "
                  + preloginFedAuthRequired
                  + "."));
    }
    ByteBuffer b =
        ByteBuffer.wrap(featureData, 1, featureData.length - 1).order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() < 4) {
      return LoginOutcome.failure(AuthErrors.tokenRejected());
    }
    int len = b.getInt();
    if (len < 0 || len > b.remaining()) {
      return LoginOutcome.failure(AuthErrors.tokenRejected());
    }
    byte[] sent = new byte[len];
    b.get(sent);
    for (Map.Entry<String, String> e : principalsByToken.entrySet()) {
      if (MessageDigest.isEqual(sent, e.getKey().getBytes(StandardCharsets.UTF_16LE))) {
        String principal = e.getValue();
        LOG.fine(() -> "spid " + exchange.spid() + ": FEDAUTH token accepted for " + principal);
        return LoginOutcome.success(principal, null).withFeatureAck(0x02, new byte[0]);
      }
    }
    LOG.fine(() -> "spid " + exchange.spid() + ": FEDAUTH token rejected (" + len + " bytes)");
    return LoginOutcome.failure(AuthErrors.tokenRejected());
  }
}
