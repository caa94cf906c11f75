package io.tdsagent.lab.tls;

import io.tdsagent.lab.wire.PacketReader;
import io.tdsagent.lab.wire.PacketType;
import io.tdsagent.lab.wire.PacketWriter;
import io.tdsagent.lab.wire.TdsBuffer;
import io.tdsagent.lab.wire.TdsMessage;
import io.tdsagent.lab.wire.TdsProtocolException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * TDS 7.x: TLS handshake records carried as the payload of PRELOGIN (0x12) packets, both ways
 * (MS-TDS 2.2.6.5). Each server flight goes out as one PRELOGIN message, split into packets of the
 * initial packet size.
 */
public final class PreloginFramedHandshakeIo implements HandshakeIo {
  private final PacketReader reader;
  private final PacketWriter writer;
  private final TdsBuffer pending = new TdsBuffer(8192);
  private ByteBuffer inbound = ByteBuffer.allocate(32 * 1024);

  public PreloginFramedHandshakeIo(PacketReader reader, PacketWriter writer) {
    this.reader = reader;
    this.writer = writer;
    inbound.flip();
  }

  @Override
  public ByteBuffer inbound() {
    return inbound;
  }

  @Override
  public boolean readMore() throws IOException {
    flush();
    TdsMessage m = reader.readMessage();
    if (m == null) {
      return false;
    }
    if (m.type() != PacketType.PRELOGIN) {
      throw new TdsProtocolException("expected TLS handshake in PRELOGIN packets, got " + m);
    }
    byte[] p = m.payload();
    inbound.compact();
    if (inbound.remaining() < p.length) {
      ByteBuffer bigger = ByteBuffer.allocate(inbound.position() + p.length + 1024);
      inbound.flip();
      bigger.put(inbound);
      inbound = bigger;
    }
    inbound.put(p);
    inbound.flip();
    return true;
  }

  @Override
  public void send(ByteBuffer tlsBytes) {
    pending.bytes(
        tlsBytes.array(), tlsBytes.arrayOffset() + tlsBytes.position(), tlsBytes.remaining());
    tlsBytes.position(tlsBytes.limit());
  }

  @Override
  public void flush() throws IOException {
    if (pending.size() > 0) {
      writer.writeMessage(PacketType.PRELOGIN, pending);
      pending.reset();
    }
  }

  /**
   * Bytes the client sent inside PRELOGIN packets that the handshake did not consume (should be
   * none).
   */
  public int leftover() {
    return inbound.remaining();
  }
}
