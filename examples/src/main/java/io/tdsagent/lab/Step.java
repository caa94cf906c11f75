package io.tdsagent.lab;

/** Phases of a connection, in order. Hooks run before each one. */
public enum Step {
    /** Reading and answering the client's PRELOGIN. */
    PRELOGIN,
    /** The TLS handshake (inside PRELOGIN packets for TDS 7.x, first thing on the wire for TDS 8). */
    TLS_HANDSHAKE,
    /** Reading and answering LOGIN7. */
    LOGIN,
    /** Each SQL batch after login. */
    SQL_BATCH
}
