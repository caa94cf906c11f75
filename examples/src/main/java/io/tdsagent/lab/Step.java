package io.tdsagent.lab;

/** Phases of a connection, in order. Hooks run before each one. */
public enum Step {
  /** Reading and answering the client's PRELOGIN. */
  PRELOGIN,
  /** The TLS handshake (inside PRELOGIN packets for TDS 7.x, first thing on the wire for TDS 8). */
  TLS_HANDSHAKE,
  /** Reading and answering LOGIN7. */
  LOGIN,
  /**
   * After LOGIN7 is read and its credentials checked, before the answer: the server's own think
   * time, as when its worker threads are starved.
   */
  LOGIN_RESPONSE,
  /** NTLM: before the server sends its CHALLENGE (a slow domain controller shows here). */
  SSPI_CHALLENGE,
  /** NTLM: before the server verifies the client's AUTHENTICATE (the DC's pass-through check). */
  SSPI_AUTHENTICATE,
  /** Kerberos: before the server accepts the client's AP-REQ and answers the AP-REP. */
  KERBEROS,
  /** FEDAUTH: before the server validates the access token from the LOGIN7 feature extension. */
  FEDAUTH,
  /** Each SQL batch after login. */
  SQL_BATCH
}
