package io.tdsagent.tds.tls;

/** A TLS alert read in clear. */
public final class TlsAlert {
  public static final int WARNING = 1;
  public static final int FATAL = 2;

  private final int level;
  private final int description;

  TlsAlert(int level, int description) {
    this.level = level;
    this.description = description;
  }

  public int level() {
    return level;
  }

  public boolean isFatal() {
    return level == FATAL;
  }

  public int description() {
    return description;
  }

  public String descriptionName() {
    return TlsNames.alertDescription(description);
  }

  @Override
  public String toString() {
    return "TlsAlert{"
        + (level == FATAL ? "fatal" : level == WARNING ? "warning" : "level_" + level)
        + ", "
        + descriptionName()
        + '}';
  }
}
