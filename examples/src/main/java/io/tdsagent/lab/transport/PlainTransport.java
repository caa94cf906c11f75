package io.tdsagent.lab.transport;

import java.io.IOException;
import java.io.OutputStream;

/** TDS directly on TCP. */
public final class PlainTransport implements Transport {
  private final NetInput in;
  private final OutputStream out;

  public PlainTransport(NetInput in, OutputStream bufferedOut) {
    this.in = in;
    this.out = bufferedOut;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return in.read(b, off, len);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }
}
