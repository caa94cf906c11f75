package io.tdsagent.testutil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-built NTLM messages (MS-NLMP 2.2.1) for tests. */
public final class NtlmBytes {
  private static final byte[] SIG = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);

  private NtlmBytes() {}

  public static byte[] negotiate(long flags, String domain, String workstation, boolean version) {
    byte[] d = domain.getBytes(StandardCharsets.US_ASCII);
    byte[] w = workstation.getBytes(StandardCharsets.US_ASCII);
    int payload = version ? 40 : 32;
    TdsBytes.Out o = new TdsBytes.Out().bytes(SIG).u32le(1).u32le(flags);
    o.u16le(d.length).u16le(d.length).u32le(payload);
    o.u16le(w.length).u16le(w.length).u32le(payload + d.length);
    if (version) {
      o.bytes(new byte[] {10, 0, 0x61, 0x4a, 0, 0, 0, 15}); // 10.0.19041 rev 15
    }
    return o.bytes(d).bytes(w).toByteArray();
  }

  /** AV pair list ending with MsvAvEOL; pairs as (id, value) alternating. */
  public static byte[] avPairs(Object... idValue) {
    TdsBytes.Out o = new TdsBytes.Out();
    for (int i = 0; i < idValue.length; i += 2) {
      int id = (Integer) idValue[i];
      Object v = idValue[i + 1];
      byte[] b = v instanceof String ? TdsBytes.utf16((String) v) : (byte[]) v;
      o.u16le(id).u16le(b.length).bytes(b);
    }
    return o.u16le(0).u16le(0).toByteArray();
  }

  public static byte[] challenge(
      long flags, String targetName, byte[] serverChallenge, byte[] targetInfo) {
    byte[] t = TdsBytes.utf16(targetName);
    int payload = 56;
    return new TdsBytes.Out()
        .bytes(SIG)
        .u32le(2)
        .u16le(t.length)
        .u16le(t.length)
        .u32le(payload)
        .u32le(flags)
        .bytes(serverChallenge)
        .bytes(new byte[8])
        .u16le(targetInfo.length)
        .u16le(targetInfo.length)
        .u32le(payload + t.length)
        .bytes(new byte[] {10, 0, 0x7c, 0x4f, 0, 0, 0, 15})
        .bytes(t)
        .bytes(targetInfo)
        .toByteArray();
  }

  /** AUTHENTICATE with VERSION and a MIC field (88-byte header); strings UTF-16LE. */
  public static byte[] authenticate(
      long flags,
      byte[] lm,
      byte[] nt,
      String domain,
      String user,
      String workstation,
      byte[] sessionKey,
      byte[] mic) {
    byte[][] fields = {
      lm, nt, TdsBytes.utf16(domain), TdsBytes.utf16(user), TdsBytes.utf16(workstation), sessionKey
    };
    int at = 88;
    TdsBytes.Out o = new TdsBytes.Out().bytes(SIG).u32le(3);
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    for (byte[] f : fields) {
      o.u16le(f.length).u16le(f.length).u32le(at + payload.size());
      payload.writeBytes(f);
    }
    o.u32le(flags).bytes(new byte[] {10, 0, 0x61, 0x4a, 0, 0, 0, 15}).bytes(mic);
    return o.bytes(payload.toByteArray()).toByteArray();
  }

  /** An NTLMv2 response: NTProofStr, then NTLMv2_CLIENT_CHALLENGE with the given AV pairs. */
  public static byte[] ntlmV2Response(
      byte[] ntProofStr, long fileTime, byte[] clientChallenge, byte[] avPairs) {
    return new TdsBytes.Out()
        .bytes(ntProofStr)
        .u8(1)
        .u8(1)
        .u16le(0)
        .u32le(0)
        .u64le(fileTime)
        .bytes(clientChallenge)
        .u32le(0)
        .bytes(avPairs)
        .u32le(0)
        .toByteArray();
  }

  /**
   * A Windows-like CHALLENGE: domain target CORP, full target info (host SQL01, DNS names) and the
   * timestamp {@code when}.
   */
  public static byte[] windowsChallenge(java.time.Instant when, byte[] serverChallenge) {
    long fileTime = (when.getEpochSecond() + 11_644_473_600L) * 10_000_000L;
    byte[] ti =
        avPairs(
            2,
            "CORP",
            1,
            "SQL01",
            4,
            "corp.example.com",
            3,
            "sql01.corp.example.com",
            5,
            "corp.example.com",
            7,
            new TdsBytes.Out().u64le(fileTime).toByteArray());
    return challenge(0xe2898215L, "CORP", serverChallenge, ti);
  }
}
