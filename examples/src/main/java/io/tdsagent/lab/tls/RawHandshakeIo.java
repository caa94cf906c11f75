package io.tdsagent.lab.tls;

import io.tdsagent.lab.transport.NetInput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** TLS records straight on TCP: the TDS 8 handshake. */
public final class RawHandshakeIo implements HandshakeIo {
  private final NetInput in;
  private final OutputStream out;

  public RawHandshakeIo(NetInput in, OutputStream bufferedOut, int packetBufferSize) {
    this.in = in;
    this.out = bufferedOut;
    in.ensureCapacity(2 * packetBufferSize);
  }

  @Override
  public ByteBuffer inbound() {
    return in.buffer();
  }

  @Override
  public boolean readMore() throws IOException {
    out.flush();
    return in.fill() >= 0;
  }

  @Override
  public void send(ByteBuffer tlsBytes) throws IOException {
    out.write(tlsBytes.array(), tlsBytes.arrayOffset() + tlsBytes.position(), tlsBytes.remaining());
    tlsBytes.position(tlsBytes.limit());
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }
}
