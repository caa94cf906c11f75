package io.tdsagent.tds.sspi.ntlm;

import io.tdsagent.tds.wire.ByteReader;

/** VERSION (MS-NLMP 2.2.2.10): the sender's OS version, for debugging only. */
public final class NtlmVersion {
  private final int productMajorVersion;
  private final int productMinorVersion;
  private final int productBuild;
  private final int ntlmRevisionCurrent;

  NtlmVersion(
      int productMajorVersion, int productMinorVersion, int productBuild, int ntlmRevisionCurrent) {
    this.productMajorVersion = productMajorVersion;
    this.productMinorVersion = productMinorVersion;
    this.productBuild = productBuild;
    this.ntlmRevisionCurrent = ntlmRevisionCurrent;
  }

  static NtlmVersion read(ByteReader r) {
    int major = r.u8();
    int minor = r.u8();
    int build = r.u16le();
    r.skip(3);
    return new NtlmVersion(major, minor, build, r.u8());
  }

  public int productMajorVersion() {
    return productMajorVersion;
  }

  public int productMinorVersion() {
    return productMinorVersion;
  }

  public int productBuild() {
    return productBuild;
  }

  /** 0x0F (NTLMSSP_REVISION_W2K3) in practice. */
  public int ntlmRevisionCurrent() {
    return ntlmRevisionCurrent;
  }

  @Override
  public String toString() {
    return productMajorVersion
        + "."
        + productMinorVersion
        + "."
        + productBuild
        + " rev "
        + ntlmRevisionCurrent;
  }
}
