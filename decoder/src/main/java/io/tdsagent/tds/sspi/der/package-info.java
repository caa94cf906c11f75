/** A minimal bounds-checked DER reader for SPNEGO and Kerberos. */
package io.tdsagent.tds.sspi.der;
