package io.tdsagent.tds.token;

import io.tdsagent.tds.wire.Hex;

/**
 * ENVCHANGE (0xE3). String types carry old/new strings; binary types carry raw bytes; ROUTING is
 * decoded into protocol, port and alternate server.
 */
public final class EnvChange extends Token {
  private final int rawType;
  private final String newValue;
  private final String oldValue;
  private final byte[] newBytes;
  private final byte[] oldBytes;
  private final int routingProtocol;
  private final int routingPort;
  private final String routingServer;

  private EnvChange(
      int rawType,
      String newValue,
      String oldValue,
      byte[] newBytes,
      byte[] oldBytes,
      int routingProtocol,
      int routingPort,
      String routingServer) {
    super(TokenType.ENVCHANGE);
    this.rawType = rawType;
    this.newValue = newValue;
    this.oldValue = oldValue;
    this.newBytes = newBytes == null ? null : newBytes.clone();
    this.oldBytes = oldBytes == null ? null : oldBytes.clone();
    this.routingProtocol = routingProtocol;
    this.routingPort = routingPort;
    this.routingServer = routingServer;
  }

  public static EnvChange ofStrings(int rawType, String newValue, String oldValue) {
    return new EnvChange(rawType, newValue, oldValue, null, null, -1, -1, null);
  }

  public static EnvChange ofBytes(int rawType, byte[] newBytes, byte[] oldBytes) {
    return new EnvChange(rawType, null, null, newBytes, oldBytes, -1, -1, null);
  }

  public static EnvChange routing(int protocol, int port, String server, byte[] newBytes) {
    return new EnvChange(
        EnvChangeType.ROUTING.value(), null, null, newBytes, new byte[0], protocol, port, server);
  }

  public EnvChangeType envType() {
    return EnvChangeType.fromByte(rawType);
  }

  public int rawEnvType() {
    return rawType;
  }

  /** New value of a string type; null for binary types. */
  public String newValue() {
    return newValue;
  }

  public String oldValue() {
    return oldValue;
  }

  /** New value of a binary type (copy); null for string types. */
  public byte[] newBytes() {
    return newBytes == null ? null : newBytes.clone();
  }

  public byte[] oldBytes() {
    return oldBytes == null ? null : oldBytes.clone();
  }

  /** ROUTING protocol (0 = TCP); -1 for other types. */
  public int routingProtocol() {
    return routingProtocol;
  }

  /** ROUTING port (ProtocolProperty); -1 for other types. */
  public int routingPort() {
    return routingPort;
  }

  /** ROUTING AlternateServer; null for other types. */
  public String routingServer() {
    return routingServer;
  }

  @Override
  public String toString() {
    EnvChangeType t = envType();
    String name = t == EnvChangeType.UNKNOWN ? "UNKNOWN(" + rawType + ")" : t.name();
    if (t == EnvChangeType.ROUTING) {
      return "EnvChange{ROUTING, protocol="
          + routingProtocol
          + ", server='"
          + routingServer
          + "', port="
          + routingPort
          + '}';
    }
    if (newValue != null || oldValue != null) {
      return "EnvChange{" + name + ", new='" + newValue + "', old='" + oldValue + "'}";
    }
    return "EnvChange{"
        + name
        + ", new="
        + Hex.brief(newBytes)
        + ", old="
        + Hex.brief(oldBytes)
        + '}';
  }
}
