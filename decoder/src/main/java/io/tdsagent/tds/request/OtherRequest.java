package io.tdsagent.tds.request;

import io.tdsagent.tds.packet.PacketType;

/** A client message after the login that is not decoded (SSPI, FEDAUTH token, PRELOGIN...). */
public final class OtherRequest extends Request {
  OtherRequest(PacketType type) {
    super(type, true);
  }

  @Override
  public String toString() {
    return "OtherRequest{" + packetType() + '}';
  }
}
