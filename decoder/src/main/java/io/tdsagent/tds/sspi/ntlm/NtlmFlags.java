package io.tdsagent.tds.sspi.ntlm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** NegotiateFlags bits (MS-NLMP 2.2.2.5), by their spec names. */
final class NtlmFlags {
  public static final long NEGOTIATE_UNICODE = 0x00000001L;
  public static final long NEGOTIATE_OEM = 0x00000002L;
  public static final long REQUEST_TARGET = 0x00000004L;
  public static final long NEGOTIATE_SIGN = 0x00000010L;
  public static final long NEGOTIATE_SEAL = 0x00000020L;
  public static final long NEGOTIATE_DATAGRAM = 0x00000040L;
  public static final long NEGOTIATE_LM_KEY = 0x00000080L;
  public static final long NEGOTIATE_NTLM = 0x00000200L;
  public static final long NEGOTIATE_ANONYMOUS = 0x00000800L;
  public static final long NEGOTIATE_OEM_DOMAIN_SUPPLIED = 0x00001000L;
  public static final long NEGOTIATE_OEM_WORKSTATION_SUPPLIED = 0x00002000L;
  public static final long NEGOTIATE_ALWAYS_SIGN = 0x00008000L;
  public static final long TARGET_TYPE_DOMAIN = 0x00010000L;
  public static final long TARGET_TYPE_SERVER = 0x00020000L;
  public static final long NEGOTIATE_EXTENDED_SESSIONSECURITY = 0x00080000L;
  public static final long NEGOTIATE_IDENTIFY = 0x00100000L;
  public static final long REQUEST_NON_NT_SESSION_KEY = 0x00400000L;
  public static final long NEGOTIATE_TARGET_INFO = 0x00800000L;
  public static final long NEGOTIATE_VERSION = 0x02000000L;
  public static final long NEGOTIATE_128 = 0x20000000L;
  public static final long NEGOTIATE_KEY_EXCH = 0x40000000L;
  public static final long NEGOTIATE_56 = 0x80000000L;

  private static final String[] NAMES = new String[32];

  static {
    name(NEGOTIATE_UNICODE, "NTLMSSP_NEGOTIATE_UNICODE");
    name(NEGOTIATE_OEM, "NTLM_NEGOTIATE_OEM");
    name(REQUEST_TARGET, "NTLMSSP_REQUEST_TARGET");
    name(NEGOTIATE_SIGN, "NTLMSSP_NEGOTIATE_SIGN");
    name(NEGOTIATE_SEAL, "NTLMSSP_NEGOTIATE_SEAL");
    name(NEGOTIATE_DATAGRAM, "NTLMSSP_NEGOTIATE_DATAGRAM");
    name(NEGOTIATE_LM_KEY, "NTLMSSP_NEGOTIATE_LM_KEY");
    name(NEGOTIATE_NTLM, "NTLMSSP_NEGOTIATE_NTLM");
    name(NEGOTIATE_ANONYMOUS, "NTLMSSP_NEGOTIATE_ANONYMOUS");
    name(NEGOTIATE_OEM_DOMAIN_SUPPLIED, "NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED");
    name(NEGOTIATE_OEM_WORKSTATION_SUPPLIED, "NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED");
    name(NEGOTIATE_ALWAYS_SIGN, "NTLMSSP_NEGOTIATE_ALWAYS_SIGN");
    name(TARGET_TYPE_DOMAIN, "NTLMSSP_TARGET_TYPE_DOMAIN");
    name(TARGET_TYPE_SERVER, "NTLMSSP_TARGET_TYPE_SERVER");
    name(NEGOTIATE_EXTENDED_SESSIONSECURITY, "NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY");
    name(NEGOTIATE_IDENTIFY, "NTLMSSP_NEGOTIATE_IDENTIFY");
    name(REQUEST_NON_NT_SESSION_KEY, "NTLMSSP_REQUEST_NON_NT_SESSION_KEY");
    name(NEGOTIATE_TARGET_INFO, "NTLMSSP_NEGOTIATE_TARGET_INFO");
    name(NEGOTIATE_VERSION, "NTLMSSP_NEGOTIATE_VERSION");
    name(NEGOTIATE_128, "NTLMSSP_NEGOTIATE_128");
    name(NEGOTIATE_KEY_EXCH, "NTLMSSP_NEGOTIATE_KEY_EXCH");
    name(NEGOTIATE_56, "NTLMSSP_NEGOTIATE_56");
  }

  private NtlmFlags() {}

  private static void name(long bit, String name) {
    NAMES[Long.numberOfTrailingZeros(bit)] = name;
  }

  /** Names of the set bits, lowest first; reserved bits appear as "r0x...". */
  public static List<String> names(long flags) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      if ((flags & (1L << i)) != 0) {
        out.add(NAMES[i] != null ? NAMES[i] : "r0x" + Long.toHexString(1L << i));
      }
    }
    return Collections.unmodifiableList(out);
  }
}
