/** NTLMSSP NEGOTIATE, CHALLENGE and AUTHENTICATE messages (MS-NLMP 2.2). */
package io.tdsagent.tds.sspi.ntlm;
