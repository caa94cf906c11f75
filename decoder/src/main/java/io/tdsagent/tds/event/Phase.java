package io.tdsagent.tds.event;

/**
 * Connection phases. PRELOGIN, TLS_HANDSHAKE, LOGIN7 and LOGIN_RESPONSE are timed by {@code
 * PhaseEvent}; the others are states {@link io.tdsagent.tds.conversation.TdsConversation#phase()}
 * can report.
 */
public enum Phase {
  /** Nothing seen yet. */
  INITIAL,
  /** First PRELOGIN request byte to last byte of the PRELOGIN response. */
  PRELOGIN,
  /** First TLS record inside PRELOGIN packets to the last handshake record before LOGIN7. */
  TLS_HANDSHAKE,
  /** First LOGIN7 byte sent to the first response byte. */
  LOGIN7,
  /** First response byte to the end of the final DONE (spans SSPI/FEDAUTH round trips). */
  LOGIN_RESPONSE,
  /** Login succeeded (or was routed), or the conversation started mid-session: framing only. */
  LOGGED_IN,
  /** The server refused the login: framing only. */
  FAILED,
  /** Everything after the handshake is TLS on the wire (seen only when fed raw network bytes). */
  ENCRYPTED,
  /** Gave up after an unrecoverable error. */
  STOPPED,
  /** {@link io.tdsagent.tds.conversation.TdsConversation#onClose} was called. */
  CLOSED
}
