package io.tdsagent.lab.auth.ntlm;

import io.tdsagent.lab.Step;
import io.tdsagent.lab.auth.AuthErrors;
import io.tdsagent.lab.login.LoginExchange;
import io.tdsagent.lab.login.LoginOutcome;
import java.io.EOFException;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The server side of NTLM inside TDS (MS-TDS 3.3.5.2, MS-NLMP 3.2.5): the NEGOTIATE came in the
 * LOGIN7 SSPI field; the acceptor answers a CHALLENGE in an SSPI token (0xED), reads the
 * AUTHENTICATE from an SSPI message (0x11) and verifies it against the configured password as a
 * domain controller would: NTLMv2 (with the MIC when the client says it sent one), NTLMv1, and
 * NTLMv1 with extended session security. Users are the lab's logins, under any domain name. Logs
 * who and which variant, never passwords, hashes or responses.
 */
public final class NtlmAcceptor {
  private static final Logger LOG = Logger.getLogger("io.tdsagent.lab");

  private final Map<String, String> passwordsByLowerCaseLogin;
  private final NtlmMessages.ServerNames names;
  private final SecureRandom random = new SecureRandom();
  private final java.util.function.Consumer<byte[]> secrets;

  /**
   * @param netbiosDomain the domain in the CHALLENGE (e.g. LAB)
   * @param dnsDomain its DNS name (e.g. lab.local)
   */
  public NtlmAcceptor(
      Map<String, String> passwordsByLowerCaseLogin,
      String netbiosDomain,
      String dnsDomain,
      String netbiosComputer) {
    this(passwordsByLowerCaseLogin, netbiosDomain, dnsDomain, netbiosComputer, null);
  }

  /**
   * {@code secrets} receives, for each AUTHENTICATE, the server challenge, the LM and NT responses
   * (and the NTProofStr), the encrypted session key and the MIC: for canary tests that must prove
   * none of them leaves.
   */
  public NtlmAcceptor(
      Map<String, String> passwordsByLowerCaseLogin,
      String netbiosDomain,
      String dnsDomain,
      String netbiosComputer,
      java.util.function.Consumer<byte[]> secrets) {
    this.secrets = secrets;
    this.passwordsByLowerCaseLogin = passwordsByLowerCaseLogin;
    String host = netbiosComputer.toLowerCase(Locale.ROOT);
    this.names =
        new NtlmMessages.ServerNames(
            netbiosDomain.toUpperCase(Locale.ROOT),
            netbiosComputer.toUpperCase(Locale.ROOT),
            dnsDomain,
            host + "." + dnsDomain);
  }

  /**
   * Runs the NTLM exchange that {@code negotiate} (from LOGIN7) starts; the outcome has no database
   * yet.
   */
  public LoginOutcome accept(byte[] negotiate, LoginExchange exchange) throws IOException {
    if (NtlmMessages.messageType(negotiate) != 1) {
      return LoginOutcome.failure(AuthErrors.untrustedDomain());
    }
    int flags = NtlmMessages.challengeFlags(NtlmMessages.negotiateFlags(negotiate));
    exchange.step(Step.SSPI_CHALLENGE);
    byte[] serverChallenge = new byte[8];
    random.nextBytes(serverChallenge);
    byte[] challenge =
        NtlmMessages.challenge(
            flags,
            serverChallenge,
            names,
            NtlmMessages.targetInfo(names, NtlmMessages.fileTimeNow()));
    byte[] answer = exchange.sspiRoundTrip(challenge);
    if (answer == null) {
      throw new EOFException(
          "client closed the connection instead of answering the NTLM CHALLENGE");
    }
    exchange.step(Step.SSPI_AUTHENTICATE);
    NtlmMessages.Authenticate auth;
    try {
      auth = NtlmMessages.parseAuthenticate(answer);
    } catch (IllegalArgumentException e) {
      LOG.fine(() -> "spid " + exchange.spid() + ": NTLM: bad AUTHENTICATE: " + e.getMessage());
      return LoginOutcome.failure(AuthErrors.untrustedDomain());
    }
    if (secrets != null) {
      secrets.accept(serverChallenge.clone());
      secrets.accept(auth.lmResponse.clone());
      byte[] nt = auth.ntResponse;
      if (nt.length
          > 24) { // NTLMv2: the NTProofStr and the client's nonce; the rest echoes the target info
        secrets.accept(Arrays.copyOf(nt, 16));
        secrets.accept(Arrays.copyOfRange(nt, 32, Math.min(nt.length, 40)));
      } else {
        secrets.accept(nt.clone());
      }
      secrets.accept(auth.encryptedRandomSessionKey.clone());
      if (auth.micOffset >= 0) {
        secrets.accept(Arrays.copyOfRange(auth.raw, auth.micOffset, auth.micOffset + 16));
      }
    }
    String domain = auth.domain.isEmpty() ? names.netbiosDomain : auth.domain;
    String shown = domain + "\\" + auth.user;
    if (auth.user.isEmpty() || auth.ntResponse.length == 0) {
      LOG.fine(() -> "spid " + exchange.spid() + ": NTLM: anonymous AUTHENTICATE refused");
      return LoginOutcome.failure(AuthErrors.loginFailed("NT AUTHORITY\\ANONYMOUS LOGON", 11));
    }
    String password = passwordsByLowerCaseLogin.get(auth.user.toLowerCase(Locale.ROOT));
    if (password == null) {
      LOG.fine(() -> "spid " + exchange.spid() + ": NTLM: unknown user " + shown);
      return LoginOutcome.failure(AuthErrors.loginFailed(shown, 5));
    }
    byte[] ntHash = NtlmCrypto.ntowfv1(password);
    try {
      String variant = verify(auth, ntHash, serverChallenge, negotiate, challenge);
      if (variant == null) {
        LOG.fine(
            () -> "spid " + exchange.spid() + ": NTLM: wrong password or bad MIC for " + shown);
        return LoginOutcome.failure(AuthErrors.loginFailed(shown, 8));
      }
      LOG.fine(
          () -> "spid " + exchange.spid() + ": NTLM: " + shown + " verified (" + variant + ")");
      return LoginOutcome.success(shown, null);
    } finally {
      Arrays.fill(ntHash, (byte) 0);
    }
  }

  /** The variant that verified ("NTLMv2", "NTLMv1", "NTLMv1-ESS"), or null. */
  static String verify(
      NtlmMessages.Authenticate auth,
      byte[] ntHash,
      byte[] serverChallenge,
      byte[] negotiate,
      byte[] challenge) {
    byte[] nt = auth.ntResponse;
    if (nt.length > 24) {
      byte[] proof = Arrays.copyOf(nt, 16);
      byte[] blob = Arrays.copyOfRange(nt, 16, nt.length);
      // MS-NLMP says the domain as sent; clients differ (mssql-jdbc and jTDS upper-case it), so try
      // both.
      Set<String> domains = new LinkedHashSet<>();
      domains.add(auth.domain);
      domains.add(auth.domain.toUpperCase(Locale.ROOT));
      for (String d : domains) {
        byte[] key = NtlmCrypto.ntowfv2(ntHash, auth.user, d);
        if (NtlmCrypto.same(proof, NtlmCrypto.hmacMd5(key, serverChallenge, blob))) {
          return micOk(auth, key, proof, blob, negotiate, challenge) ? "NTLMv2" : null;
        }
      }
      return null;
    }
    if (nt.length == 24) {
      if (NtlmCrypto.same(nt, NtlmCrypto.desl(ntHash, serverChallenge))) {
        return "NTLMv1";
      }
      if ((auth.flags & NtlmMessages.NEGOTIATE_EXTENDED_SESSIONSECURITY) != 0
          && auth.lmResponse.length == 24) {
        byte[] clientChallenge = Arrays.copyOf(auth.lmResponse, 8);
        byte[] sessionHash = Arrays.copyOf(NtlmCrypto.md5(serverChallenge, clientChallenge), 8);
        if (NtlmCrypto.same(nt, NtlmCrypto.desl(ntHash, sessionHash))) {
          return "NTLMv1-ESS";
        }
      }
    }
    return null;
  }

  /**
   * Checks the MIC if the client's blob says (MsvAvFlags bit 0x2) it sent one (MS-NLMP 3.2.5.1.2).
   */
  private static boolean micOk(
      NtlmMessages.Authenticate auth,
      byte[] responseKeyNt,
      byte[] proof,
      byte[] blob,
      byte[] negotiate,
      byte[] challenge) {
    byte[] avFlags = NtlmMessages.avPair(blob, 28, NtlmMessages.AV_FLAGS);
    boolean micPresent = avFlags != null && avFlags.length == 4 && (avFlags[0] & 0x02) != 0;
    if (!micPresent) {
      return true;
    }
    if (auth.micOffset < 0) {
      return false;
    }
    byte[] sessionBaseKey = NtlmCrypto.hmacMd5(responseKeyNt, proof);
    byte[] exported =
        (auth.flags & NtlmMessages.NEGOTIATE_KEY_EXCH) != 0
                && auth.encryptedRandomSessionKey.length == 16
            ? NtlmCrypto.rc4(sessionBaseKey, auth.encryptedRandomSessionKey)
            : sessionBaseKey;
    byte[] withoutMic = auth.raw.clone();
    byte[] sent = Arrays.copyOfRange(withoutMic, auth.micOffset, auth.micOffset + 16);
    Arrays.fill(withoutMic, auth.micOffset, auth.micOffset + 16, (byte) 0);
    return NtlmCrypto.same(sent, NtlmCrypto.hmacMd5(exported, negotiate, challenge, withoutMic));
  }
}
