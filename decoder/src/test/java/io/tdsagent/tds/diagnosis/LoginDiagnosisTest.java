package io.tdsagent.tds.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tdsagent.tds.diagnosis.LoginDiagnosis.EndedBy;
import org.junit.jupiter.api.Test;

/** Each verdict from the phases that lead to it, and the order in which causes win. */
class LoginDiagnosisTest {
  private static LoginDiagnosis.Builder fastLogin() {
    return LoginDiagnosis.builder()
        .completed(true)
        .phase("tcp connect", 1)
        .phase("prelogin", 2)
        .phase("tls handshake", 15)
        .phase("loginack", 3);
  }

  @Test
  void aFastLoginIsOk() {
    assertEquals("ok", fastLogin().diagnose());
  }

  @Test
  void theSlowestPhaseAtOrAboveTheThresholdIsNamed() {
    assertEquals(
        "server slow to answer LOGIN7 (1500 ms; worker threads starved?)",
        fastLogin().phase("loginack", 1500).phase("prelogin", 1200).diagnose());
    assertEquals(
        "server slow to answer PRELOGIN (1200 ms)", fastLogin().phase("prelogin", 1200).diagnose());
    assertEquals(
        "tls handshake slow (1000 ms)", fastLogin().phase("tls handshake", 1000).diagnose());
    assertEquals(
        "tcp connect slow or blocked (no SYN-ACK for 3001 ms)",
        fastLogin().phase("tcp connect", 3000.6).diagnose());
    assertEquals(
        "domain controller slow (ntlm negotiate/challenge 2500 ms)",
        fastLogin().phase("ntlm negotiate/challenge", 2500).diagnose());
  }

  @Test
  void theThresholdIsConfigurable() {
    assertEquals("ok", fastLogin().phase("loginack", 1500).slowMillis(2000).diagnose());
    assertEquals(
        "server slow to answer LOGIN7 (300 ms; worker threads starved?)",
        fastLogin().phase("loginack", 300).slowMillis(250).diagnose());
  }

  @Test
  void kerberosFallingBackToNtlmIsSaidWhenNothingIsSlow() {
    assertEquals("kerberos fell back to ntlm", fastLogin().kerberosFellBackToNtlm(true).diagnose());
    assertEquals(
        "domain controller slow (ntlm authenticate 1800 ms)",
        fastLogin().kerberosFellBackToNtlm(true).phase("ntlm authenticate", 1800).diagnose());
  }

  @Test
  void serverRefusalsByNumberAndState() {
    assertEquals(
        "wrong password (error 18456, state 8)", fastLogin().serverError(18456, 8).diagnose());
    assertEquals(
        "unknown login (error 18456, state 5)", fastLogin().serverError(18456, 5).diagnose());
    assertEquals(
        "password expired (error 18456, state 18)", fastLogin().serverError(18456, 18).diagnose());
    assertEquals("password expired (error 18487)", fastLogin().serverError(18487, 1).diagnose());
    assertEquals("database unavailable (error 4060)", fastLogin().serverError(4060, 1).diagnose());
    assertEquals(
        "login failed (the server hides the reason from clients; see its error log) (error 18456, state 1)",
        fastLogin().serverError(18456, 1).diagnose());
    assertEquals(
        "login refused by the server (error 50000)", fastLogin().serverError(50000, 1).diagnose());
  }

  @Test
  void aServerErrorWinsOverASlowPhase() {
    assertEquals(
        "wrong password (error 18456, state 8)",
        fastLogin().phase("loginack", 5000).serverError(18456, 8).diagnose());
  }

  @Test
  void routing() {
    assertEquals(
        "redirected to 127.0.0.1:14330", fastLogin().routedTo("127.0.0.1", 14330).diagnose());
  }

  @Test
  void tlsFailureNamesTheAlertOrTheDriversCause() {
    assertEquals(
        "tls handshake failed: server sent fatal alert protocol_version",
        LoginDiagnosis.builder()
            .tlsFailure("server sent fatal alert protocol_version")
            .ended(EndedBy.SERVER, false)
            .inFlight("tls handshake", 20)
            .diagnose());
  }

  @Test
  void tcpConnect() {
    assertEquals(
        "tcp connect slow or blocked (no SYN-ACK for 2000 ms)",
        LoginDiagnosis.builder()
            .tcpFailure("connect timed out", true)
            .inFlight("tcp connect", 2000)
            .diagnose());
    assertEquals(
        "tcp connect failed: Connection refused",
        LoginDiagnosis.builder().tcpFailure("Connection refused", false).diagnose());
  }

  @Test
  void theServerClosingOrResettingNamesThePhase() {
    assertEquals(
        "server closed the connection during login7 (no answer yet)",
        LoginDiagnosis.builder()
            .ended(EndedBy.SERVER, false)
            .inFlight("loginack", 3)
            .clientFailure("no response")
            .diagnose());
    assertEquals(
        "server reset the connection during prelogin",
        LoginDiagnosis.builder()
            .ended(EndedBy.SERVER_RESET, false)
            .inFlight("prelogin", 3)
            .diagnose());
  }

  @Test
  void theLoginTimeoutNamesThePhaseInFlight() {
    assertEquals(
        "server slow to answer LOGIN7 (2003 ms, then the login timed out; worker threads starved?)",
        LoginDiagnosis.builder().ended(EndedBy.CLIENT, true).inFlight("loginack", 2003).diagnose());
    assertEquals(
        "domain controller slow (ntlm negotiate 1990 ms, then the login timed out)",
        LoginDiagnosis.builder()
            .ended(EndedBy.CLIENT, true)
            .inFlight("ntlm negotiate", 1990)
            .diagnose());
    assertEquals(
        "server slow to answer PRELOGIN (500 ms, then the login timed out)",
        LoginDiagnosis.builder().ended(EndedBy.CLIENT, true).inFlight("prelogin", 500).diagnose());
  }

  @Test
  void otherClientFailures() {
    assertEquals(
        "client gave up: no Kerberos ticket",
        LoginDiagnosis.builder()
            .ended(EndedBy.CLIENT, false)
            .clientFailure("no Kerberos ticket")
            .diagnose());
    assertEquals(
        "client closed the connection during prelogin",
        LoginDiagnosis.builder().ended(EndedBy.CLIENT, false).inFlight("prelogin", 1).diagnose());
    assertEquals("login did not complete", LoginDiagnosis.builder().diagnose());
  }

  @Test
  void loginFailureReasonsStayAvailable() {
    assertEquals("wrong password", LoginFailures.reason(18456, 8));
    assertEquals("cannot open the requested database", LoginFailures.reason(4060, 1));
  }
}
