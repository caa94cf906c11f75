package io.tdsagent.tds.prelogin;

/** PRELOGIN VERSION: UL_VERSION (major, minor, big-endian build) and US_SUBBUILD. */
public final class PreloginVersion {
  private final int major;
  private final int minor;
  private final int build;
  private final int subBuild;

  PreloginVersion(int major, int minor, int build, int subBuild) {
    this.major = major;
    this.minor = minor;
    this.build = build;
    this.subBuild = subBuild;
  }

  public int major() {
    return major;
  }

  public int minor() {
    return minor;
  }

  public int build() {
    return build;
  }

  public int subBuild() {
    return subBuild;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PreloginVersion)) {
      return false;
    }
    PreloginVersion v = (PreloginVersion) o;
    return major == v.major && minor == v.minor && build == v.build && subBuild == v.subBuild;
  }

  @Override
  public int hashCode() {
    return ((major * 31 + minor) * 31 + build) * 31 + subBuild;
  }

  /** major.minor.build, plus .subBuild when non-zero. */
  @Override
  public String toString() {
    return major + "." + minor + "." + build + (subBuild != 0 ? "." + subBuild : "");
  }
}
