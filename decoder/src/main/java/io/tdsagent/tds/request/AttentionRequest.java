package io.tdsagent.tds.request;

import io.tdsagent.tds.packet.PacketType;

/**
 * Attention (0x06): the client cancels the request in progress; acknowledged by a DONE with
 * DONE_ATTN.
 */
public final class AttentionRequest extends Request {
  AttentionRequest() {
    super(PacketType.ATTENTION, true);
  }

  @Override
  public String toString() {
    return "Attention";
  }
}
