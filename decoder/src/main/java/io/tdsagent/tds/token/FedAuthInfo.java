package io.tdsagent.tds.token;

/** FEDAUTHINFO (0xEE): where the client should get a federated authentication token. */
public final class FedAuthInfo extends Token {
  public static final int ID_STSURL = 0x01;
  public static final int ID_SPN = 0x02;

  private final String stsUrl;
  private final String spn;

  FedAuthInfo(String stsUrl, String spn) {
    super(TokenType.FEDAUTHINFO);
    this.stsUrl = stsUrl;
    this.spn = spn;
  }

  public String stsUrl() {
    return stsUrl;
  }

  public String spn() {
    return spn;
  }

  @Override
  public String toString() {
    return "FedAuthInfo{stsUrl='" + stsUrl + "', spn='" + spn + "'}";
  }
}
