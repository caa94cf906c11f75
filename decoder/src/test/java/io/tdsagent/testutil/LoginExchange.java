package io.tdsagent.testutil;

/** A whole SQL Server login and one batch, as TDS bytes per direction, for capture tests. */
public final class LoginExchange {
  public static final String USER = "pcap_user";
  public static final String CANARY = "Canary-Pcap-Pa55word!";
  public static final String NEW_PASSWORD = "Canary-New-Pa55word!";

  public final byte[] prelogin = TdsBytes.packet(0x12, 1, TdsBytes.prelogin(13, 6, 0, 2));
  public final byte[] preloginAnswer = TdsBytes.packet(0x04, 1, TdsBytes.prelogin(16, 0, 1000, 2));
  public final byte[] login7;
  public final byte[] loginResponse;
  public final byte[] batch;
  public final byte[] batchResponse;

  /**
   * @param maxPacket LOGIN7 packet size (small values split it over several packets)
   */
  public LoginExchange(int maxPacket) {
    Login7Bytes l = new Login7Bytes();
    l.user = USER;
    l.password = CANARY;
    l.changePassword = NEW_PASSWORD;
    l.host = "pcap-host";
    l.app = "pcap-app";
    l.server = "db.example";
    l.library = "Test Library";
    l.database = "demo";
    login7 = TdsBytes.message(0x10, l.build(), maxPacket);
    loginResponse =
        TdsBytes.packet(
            0x04,
            1,
            TdsBytes.concat(
                TdsBytes.envChangeString(1, "demo", "master"),
                TdsBytes.serverMessage(
                    false, 5701, 2, 0, "Changed database context to 'demo'.", "lab"),
                TdsBytes.loginAck(0x74000004, "Microsoft SQL Server", 16, 0, 3, 232),
                TdsBytes.done(0xFD, 0, 0, 0)));
    batch = TdsBytes.packet(0x01, 1, TdsBytes.concat(allHeaders(), TdsBytes.utf16("SELECT 1")));
    batchResponse = TdsBytes.packet(0x04, 1, TdsBytes.done(0xFD, 0x10, 0xC1, 1));
  }

  /** ALL_HEADERS with one transaction descriptor header (TDS 7.2+). */
  private static byte[] allHeaders() {
    return new TdsBytes.Out().u32le(22).u32le(18).u16le(2).u64le(0).u32le(1).toByteArray();
  }
}
