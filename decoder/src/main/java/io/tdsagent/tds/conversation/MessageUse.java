package io.tdsagent.tds.conversation;

/** What the current message of one direction is being collected for. */
enum MessageUse {
  /** Framed and counted only. */
  FRAME_ONLY,
  /** A PRELOGIN packet: its first payload byte tells an option table from TLS records. */
  PRELOGIN_OR_TLS,
  PRELOGIN,
  TLS,
  LOGIN7,
  /** The login response's token stream. */
  TOKENS,
  SSPI,
  /** Dropped after a problem; the rest of the message is framed only. */
  SKIP,
  /** The login is over: the exchange tracker takes the message if the login succeeded. */
  AFTER_LOGIN,
  /** A request or response the exchange tracker decodes. */
  EXCHANGE
}
