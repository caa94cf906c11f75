/**
 * TLS records carried in PRELOGIN packets, recognised without decrypting (TlsSession,
 * TlsRecordStream).
 */
package io.tdsagent.tds.tls;
