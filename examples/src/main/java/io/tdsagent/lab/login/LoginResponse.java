package io.tdsagent.lab.login;

import io.tdsagent.lab.token.Collation;
import io.tdsagent.lab.token.Done;
import io.tdsagent.lab.token.EnvChange;
import io.tdsagent.lab.token.ServerMessage;
import io.tdsagent.lab.token.TokenWriter;
import io.tdsagent.lab.wire.PacketHeader;
import io.tdsagent.lab.wire.TdsBuffer;
import java.util.Map;

/** Token streams answering a LOGIN7 (MS-TDS 2.2.2.2, order as in the spec's example 4.5). */
public final class LoginResponse {
  /** TDS 7.4, the version the lab speaks (also to TDS 8 clients, whose LOGIN7 says 0x08000000). */
  public static final int TDS_7_4 = 0x74000004;

  public static final int TDS_8_0 = 0x08000000;

  private LoginResponse() {}

  /** The TDS version for LOGINACK: the client's if older than 7.4, else 7.4. */
  public static int negotiateTdsVersion(int clientVersion) {
    if (clientVersion == TDS_8_0) {
      return TDS_7_4;
    }
    return Integer.compareUnsigned(clientVersion, TDS_7_4) < 0 ? clientVersion : TDS_7_4;
  }

  /** The client's requested packet size within 512..32767; 0 means the server default 4096. */
  public static int negotiatePacketSize(int requested) {
    if (requested == 0) {
      return PacketHeader.INITIAL_PACKET_SIZE;
    }
    return Math.max(
        PacketHeader.MIN_PACKET_SIZE, Math.min(PacketHeader.MAX_PACKET_SIZE, requested));
  }

  /** Parameters of a successful login response. */
  public static final class Success {
    public String database;
    public String language = "us_english";
    public int tdsVersion = TDS_7_4;
    public String programName;
    public int major;
    public int minor;
    public int build;
    public int packetSize;

    /** Null: no FEATUREEXTACK (client sent no FeatureExt). */
    public Map<Integer, byte[]> featureAcks;

    /** Null: no SSPI token; else sent first (Kerberos AP-REP for mutual authentication). */
    public byte[] sspiToken;

    /** Non-null: a routing ENVCHANGE to this host (and {@link #routePort}) after LOGINACK. */
    public String routeHost;

    public int routePort;
  }

  /**
   * [SSPI,] ENVCHANGE database + INFO 5701, ENVCHANGE collation, ENVCHANGE language + INFO 5703,
   * LOGINACK, ENVCHANGE packet size, FEATUREEXTACK, DONE.
   */
  public static TdsBuffer success(TokenWriter w, Success s) {
    if (s.sspiToken != null) {
      w.sspi(s.sspiToken);
    }
    w.envChange(EnvChange.DATABASE, s.database, "master");
    w.info(5701, 2, 0, "Changed database context to '" + s.database + "'.");
    w.envChangeBytes(EnvChange.SQL_COLLATION, Collation.SQL_LATIN1_GENERAL_CP1_CI_AS, new byte[0]);
    w.envChange(EnvChange.LANGUAGE, s.language, "");
    w.info(5703, 1, 0, "Changed language setting to " + s.language + ".");
    w.loginAck(s.tdsVersion, s.programName, s.major, s.minor, s.build);
    w.envChange(
        EnvChange.PACKET_SIZE,
        Integer.toString(s.packetSize),
        Integer.toString(PacketHeader.INITIAL_PACKET_SIZE));
    if (s.featureAcks != null) {
      w.featureExtAck(s.featureAcks);
    }
    if (s.routeHost != null) {
      w.routing(s.routeHost, s.routePort);
    }
    w.done(Done.FINAL, Done.CMD_NONE, 0);
    return w.buffer();
  }

  /** The errors, then DONE with the ERROR bit; the server closes the connection afterwards. */
  public static TdsBuffer failure(TokenWriter w, Iterable<ServerMessage> errors) {
    for (ServerMessage e : errors) {
      e.writeAsError(w);
    }
    w.done(Done.ERROR, Done.CMD_NONE, 0);
    return w.buffer();
  }
}
