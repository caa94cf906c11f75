package io.tdsagent.lab.auth.kerberos;

import io.tdsagent.lab.Step;
import io.tdsagent.lab.auth.AuthErrors;
import io.tdsagent.lab.login.LoginExchange;
import io.tdsagent.lab.login.LoginOutcome;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.logging.Logger;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KeyTab;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.Oid;

/**
 * The server side of Kerberos inside TDS: a JGSS acceptor over a keytab, for the raw krb5 mechanism
 * (what mssql-jdbc's {@code authenticationScheme=JavaKerberos} sends: an AP-REQ in a GSS
 * initial-context token) and for SPNEGO-wrapped krb5. Every service principal in the keytab is
 * accepted. With mutual authentication the AP-REP goes back in an SSPI token in the login response,
 * before LOGINACK.
 *
 * <p>The keys come from a {@link Subject} holding an unbound {@link KeyTab}: nothing process-wide
 * (no JAAS configuration, no {@code java.security.krb5.conf}) is needed on the server side.
 */
public final class KerberosAcceptor {
  private static final Logger LOG = Logger.getLogger("io.tdsagent.lab");
  public static final String KRB5_OID = "1.2.840.113554.1.2.2";
  public static final String SPNEGO_OID = "1.3.6.1.5.5.2";
  private static final int MAX_ROUND_TRIPS = 4;

  private final Path keytab;
  private final java.util.function.Consumer<byte[]> sessionKeys;
  private final java.util.function.Consumer<byte[]> tokens;

  public KerberosAcceptor(Path keytab) {
    this(keytab, null);
  }

  /**
   * {@code sessionKeys} receives each established context's session key: for tests that must prove
   * the key never leaves a traced client (canaries). Never logged.
   */
  public KerberosAcceptor(Path keytab, java.util.function.Consumer<byte[]> sessionKeys) {
    this(keytab, sessionKeys, null);
  }

  /**
   * {@code tokens} also receives each token in and out (AP-REQ, AP-REP): canaries for their
   * ciphers.
   */
  public KerberosAcceptor(
      Path keytab,
      java.util.function.Consumer<byte[]> sessionKeys,
      java.util.function.Consumer<byte[]> tokens) {
    this.keytab = keytab;
    this.sessionKeys = sessionKeys;
    this.tokens = tokens;
  }

  public Path keytab() {
    return keytab;
  }

  private void reportSessionKey(GSSContext ctx) {
    if (sessionKeys == null || !(ctx instanceof com.sun.security.jgss.ExtendedGSSContext)) {
      return;
    }
    try {
      Object key =
          ((com.sun.security.jgss.ExtendedGSSContext) ctx)
              .inquireSecContext(com.sun.security.jgss.InquireType.KRB5_GET_SESSION_KEY_EX);
      if (key instanceof java.security.Key) {
        sessionKeys.accept(((java.security.Key) key).getEncoded());
      }
    } catch (GSSException | RuntimeException e) {
      LOG.fine(() -> "session key not available: " + e);
    }
  }

  /**
   * True if {@code token} is a GSS initial-context token (ASN.1 [APPLICATION 0], 0x60) or a SPNEGO
   * NegTokenResp.
   */
  public static boolean isGssToken(byte[] token) {
    return token.length > 2 && ((token[0] & 0xFF) == 0x60 || (token[0] & 0xFF) == 0xA1);
  }

  /**
   * Accepts the context that {@code firstToken} (from LOGIN7) starts; the outcome has no database
   * yet.
   */
  @SuppressWarnings("removal")
  public LoginOutcome accept(byte[] firstToken, LoginExchange exchange) throws IOException {
    exchange.step(Step.KERBEROS);
    Subject subject = new Subject();
    subject.getPrivateCredentials().add(KeyTab.getUnboundInstance(keytab.toFile()));
    GSSManager manager = GSSManager.getInstance();
    GSSContext context = null;
    try {
      Oid[] mechs = {new Oid(KRB5_OID), new Oid(SPNEGO_OID)};
      GSSCredential credential =
          Subject.doAs(
              subject,
              (PrivilegedExceptionAction<GSSCredential>)
                  () ->
                      manager.createCredential(
                          null,
                          GSSCredential.INDEFINITE_LIFETIME,
                          mechs,
                          GSSCredential.ACCEPT_ONLY));
      GSSContext ctx = manager.createContext(credential);
      context = ctx;
      byte[] in = firstToken;
      for (int i = 0; i < MAX_ROUND_TRIPS; i++) {
        byte[] input = in;
        byte[] out =
            Subject.doAs(
                subject,
                (PrivilegedExceptionAction<byte[]>)
                    () -> ctx.acceptSecContext(input, 0, input.length));
        if (tokens != null) {
          tokens.accept(input.clone());
          if (out != null) {
            tokens.accept(out.clone());
          }
        }
        if (ctx.isEstablished()) {
          reportSessionKey(ctx);
          String client = ctx.getSrcName().toString();
          String target = ctx.getTargName() == null ? "?" : ctx.getTargName().toString();
          String how = "mech " + ctx.getMech() + ", mutual " + ctx.getMutualAuthState();
          LOG.fine(
              () ->
                  "spid "
                      + exchange.spid()
                      + ": Kerberos: "
                      + client
                      + " accepted for "
                      + target
                      + " ("
                      + how
                      + ")");
          LoginOutcome ok = LoginOutcome.success(client, null);
          return out != null && out.length > 0 ? ok.withSspiToken(out) : ok;
        }
        if (out == null || out.length == 0) {
          break;
        }
        in = exchange.sspiRoundTrip(out);
        if (in == null) {
          throw new EOFException("client closed the connection during the Kerberos exchange");
        }
      }
      LOG.fine(() -> "spid " + exchange.spid() + ": Kerberos: context not established");
      return LoginOutcome.failure(AuthErrors.untrustedDomain());
    } catch (PrivilegedActionException e) {
      Throwable cause = e.getCause();
      LOG.fine(() -> "spid " + exchange.spid() + ": Kerberos: " + cause);
      return LoginOutcome.failure(AuthErrors.untrustedDomain());
    } catch (GSSException e) {
      LOG.fine(() -> "spid " + exchange.spid() + ": Kerberos: " + e.getMessage());
      return LoginOutcome.failure(AuthErrors.untrustedDomain());
    } finally {
      if (context != null) {
        try {
          context.dispose();
        } catch (GSSException ignored) {
          // nothing to release
        }
      }
    }
  }
}
