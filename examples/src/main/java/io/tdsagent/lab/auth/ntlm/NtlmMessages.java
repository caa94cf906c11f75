package io.tdsagent.lab.auth.ntlm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** NTLM message layouts the acceptor reads and writes (MS-NLMP 2.2.1, 2.2.2). */
public final class NtlmMessages {
  static final byte[] SIGNATURE = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);

  public static final int NEGOTIATE_UNICODE = 0x00000001;
  public static final int NEGOTIATE_OEM = 0x00000002;
  public static final int REQUEST_TARGET = 0x00000004;
  public static final int NEGOTIATE_SIGN = 0x00000010;
  public static final int NEGOTIATE_SEAL = 0x00000020;
  public static final int NEGOTIATE_LM_KEY = 0x00000080;
  public static final int NEGOTIATE_NTLM = 0x00000200;
  public static final int NEGOTIATE_ANONYMOUS = 0x00000800;
  public static final int NEGOTIATE_ALWAYS_SIGN = 0x00008000;
  public static final int TARGET_TYPE_DOMAIN = 0x00010000;
  public static final int NEGOTIATE_EXTENDED_SESSIONSECURITY = 0x00080000;
  public static final int NEGOTIATE_TARGET_INFO = 0x00800000;
  public static final int NEGOTIATE_VERSION = 0x02000000;
  public static final int NEGOTIATE_128 = 0x20000000;
  public static final int NEGOTIATE_KEY_EXCH = 0x40000000;
  public static final int NEGOTIATE_56 = 0x80000000;

  public static final int AV_EOL = 0;
  public static final int AV_NB_COMPUTER_NAME = 1;
  public static final int AV_NB_DOMAIN_NAME = 2;
  public static final int AV_DNS_COMPUTER_NAME = 3;
  public static final int AV_DNS_DOMAIN_NAME = 4;
  public static final int AV_FLAGS = 6;
  public static final int AV_TIMESTAMP = 7;

  /** Windows 10 / Server 2016+ (10.0.17763), NTLM revision 15: what the lab claims in VERSION. */
  private static final byte[] SERVER_VERSION = {10, 0, (byte) 0x63, (byte) 0x45, 0, 0, 0, 15};

  private NtlmMessages() {}

  /** True if {@code token} starts with "NTLMSSP\0". */
  public static boolean isNtlm(byte[] token) {
    return token.length >= 12 && Arrays.equals(Arrays.copyOf(token, 8), SIGNATURE);
  }

  /** MessageType (1 NEGOTIATE, 2 CHALLENGE, 3 AUTHENTICATE), or -1. */
  public static int messageType(byte[] token) {
    return isNtlm(token) ? le(token).getInt(8) : -1;
  }

  /** NEGOTIATE_MESSAGE.NegotiateFlags. */
  public static int negotiateFlags(byte[] negotiate) {
    if (negotiate.length < 16) {
      throw new IllegalArgumentException("NEGOTIATE_MESSAGE of " + negotiate.length + " bytes");
    }
    return le(negotiate).getInt(12);
  }

  /** The server's names in the CHALLENGE (target name and the AV pairs). */
  public static final class ServerNames {
    final String netbiosDomain;
    final String netbiosComputer;
    final String dnsDomain;
    final String dnsComputer;

    public ServerNames(
        String netbiosDomain, String netbiosComputer, String dnsDomain, String dnsComputer) {
      this.netbiosDomain = netbiosDomain;
      this.netbiosComputer = netbiosComputer;
      this.dnsDomain = dnsDomain;
      this.dnsComputer = dnsComputer;
    }
  }

  /** The flags the server answers with: what it supports out of what the client asked for. */
  public static int challengeFlags(int clientFlags) {
    int f =
        NEGOTIATE_NTLM
            | TARGET_TYPE_DOMAIN
            | NEGOTIATE_TARGET_INFO
            | NEGOTIATE_VERSION
            | REQUEST_TARGET;
    f |= (clientFlags & NEGOTIATE_UNICODE) != 0 ? NEGOTIATE_UNICODE : NEGOTIATE_OEM;
    f |=
        clientFlags
            & (NEGOTIATE_ALWAYS_SIGN
                | NEGOTIATE_EXTENDED_SESSIONSECURITY
                | NEGOTIATE_SIGN
                | NEGOTIATE_SEAL
                | NEGOTIATE_128
                | NEGOTIATE_56
                | NEGOTIATE_KEY_EXCH);
    return f;
  }

  /**
   * TargetInfo: NetBIOS domain, NetBIOS computer, DNS domain, DNS computer, timestamp, EOL
   * (Windows' order).
   */
  public static byte[] targetInfo(ServerNames names, long fileTime) {
    ByteBuffer b = le(ByteBuffer.allocate(512));
    avString(b, AV_NB_DOMAIN_NAME, names.netbiosDomain);
    avString(b, AV_NB_COMPUTER_NAME, names.netbiosComputer);
    avString(b, AV_DNS_DOMAIN_NAME, names.dnsDomain);
    avString(b, AV_DNS_COMPUTER_NAME, names.dnsComputer);
    b.putShort((short) AV_TIMESTAMP).putShort((short) 8).putLong(fileTime);
    b.putShort((short) AV_EOL).putShort((short) 0);
    return Arrays.copyOf(b.array(), b.position());
  }

  private static void avString(ByteBuffer b, int id, String value) {
    byte[] v = value.getBytes(StandardCharsets.UTF_16LE);
    b.putShort((short) id).putShort((short) v.length).put(v);
  }

  /**
   * CHALLENGE_MESSAGE: header (with VERSION, 56 bytes), then TargetName, then TargetInfo.
   * mssql-jdbc reads TargetName right after the VERSION field whatever its offset says, so the
   * payload starts at 56.
   */
  public static byte[] challenge(
      int flags, byte[] serverChallenge, ServerNames names, byte[] targetInfo) {
    boolean unicode = (flags & NEGOTIATE_UNICODE) != 0;
    byte[] targetName =
        names.netbiosDomain.getBytes(
            unicode ? StandardCharsets.UTF_16LE : StandardCharsets.US_ASCII);
    int offset = 56;
    ByteBuffer b = le(ByteBuffer.allocate(offset + targetName.length + targetInfo.length));
    b.put(SIGNATURE).putInt(2);
    b.putShort((short) targetName.length).putShort((short) targetName.length).putInt(offset);
    b.putInt(flags);
    b.put(serverChallenge);
    b.putLong(0); // Reserved
    b.putShort((short) targetInfo.length)
        .putShort((short) targetInfo.length)
        .putInt(offset + targetName.length);
    b.put(SERVER_VERSION);
    b.put(targetName).put(targetInfo);
    return b.array();
  }

  /**
   * A decoded AUTHENTICATE_MESSAGE (MS-NLMP 2.2.1.3). Responses are kept out of {@link
   * #toString()}.
   */
  public static final class Authenticate {
    final byte[] raw;
    final byte[] lmResponse;
    final byte[] ntResponse;
    final String domain;
    final String user;
    final String workstation;
    final byte[] encryptedRandomSessionKey;
    final int flags;

    /**
     * Offset of the MIC (72) if the message has room for VERSION and MIC before its payload, else
     * -1.
     */
    final int micOffset;

    private Authenticate(
        byte[] raw,
        byte[] lm,
        byte[] nt,
        String domain,
        String user,
        String workstation,
        byte[] ersk,
        int flags,
        int micOffset) {
      this.raw = raw;
      this.lmResponse = lm;
      this.ntResponse = nt;
      this.domain = domain;
      this.user = user;
      this.workstation = workstation;
      this.encryptedRandomSessionKey = ersk;
      this.flags = flags;
      this.micOffset = micOffset;
    }

    public String domain() {
      return domain;
    }

    public String user() {
      return user;
    }

    public String workstation() {
      return workstation;
    }

    public int flags() {
      return flags;
    }

    public int ntResponseLength() {
      return ntResponse.length;
    }

    @Override
    public String toString() {
      return "AUTHENTICATE{domain="
          + domain
          + ", user="
          + user
          + ", workstation="
          + workstation
          + ", nt="
          + ntResponse.length
          + " bytes, lm="
          + lmResponse.length
          + " bytes, flags="
          + String.format("0x%08X", flags)
          + "}";
    }
  }

  public static Authenticate parseAuthenticate(byte[] m) {
    if (messageType(m) != 3 || m.length < 64) {
      throw new IllegalArgumentException("not an NTLM AUTHENTICATE_MESSAGE");
    }
    ByteBuffer b = le(m);
    int flags = b.getInt(60);
    boolean unicode = (flags & NEGOTIATE_UNICODE) != 0;
    byte[] lm = field(m, b, 12);
    byte[] nt = field(m, b, 20);
    String domain = text(field(m, b, 28), unicode);
    String user = text(field(m, b, 36), unicode);
    String ws = text(field(m, b, 44), unicode);
    byte[] ersk = field(m, b, 52);
    int payloadStart = m.length;
    for (int f = 12; f <= 52; f += 8) {
      if ((b.getShort(f) & 0xFFFF) != 0) {
        payloadStart = Math.min(payloadStart, b.getInt(f + 4));
      }
    }
    int mic = payloadStart >= 88 ? 72 : -1;
    return new Authenticate(m, lm, nt, domain, user, ws, ersk, flags, mic);
  }

  private static byte[] field(byte[] m, ByteBuffer b, int at) {
    int len = b.getShort(at) & 0xFFFF;
    int off = b.getInt(at + 4);
    if (len == 0) {
      return new byte[0];
    }
    if (off < 0 || off + len > m.length) {
      throw new IllegalArgumentException("NTLM field at " + at + " outside the message");
    }
    return Arrays.copyOfRange(m, off, off + len);
  }

  private static String text(byte[] b, boolean unicode) {
    return new String(b, unicode ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1);
  }

  /** Value of an AV pair in an AV pair list starting at {@code from}, or null. */
  static byte[] avPair(byte[] list, int from, int id) {
    ByteBuffer b = le(list);
    int p = from;
    while (p + 4 <= list.length) {
      int avId = b.getShort(p) & 0xFFFF;
      int len = b.getShort(p + 2) & 0xFFFF;
      if (avId == AV_EOL || p + 4 + len > list.length) {
        return null;
      }
      if (avId == id) {
        return Arrays.copyOfRange(list, p + 4, p + 4 + len);
      }
      p += 4 + len;
    }
    return null;
  }

  /** Now as a FILETIME (100 ns ticks since 1601-01-01 UTC). */
  public static long fileTimeNow() {
    return (System.currentTimeMillis() + 11644473600000L) * 10000L;
  }

  static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  static ByteBuffer le(ByteBuffer b) {
    return b.order(ByteOrder.LITTLE_ENDIAN);
  }
}
