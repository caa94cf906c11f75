package io.tdsagent.lab.tls;

import io.tdsagent.lab.transport.NetInput;
import io.tdsagent.lab.transport.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * TLS records directly on TCP after the handshake. Unwraps one record at a time from the shared
 * {@link NetInput} buffer, so bytes after the last TLS record stay there for a following plaintext
 * layer.
 */
public final class TlsTransport implements Transport {
  private final SSLEngine engine;
  private final NetInput in;
  private final OutputStream out;
  private ByteBuffer appIn;
  private ByteBuffer netOut;

  public TlsTransport(SSLEngine engine, NetInput in, OutputStream bufferedOut) {
    this.engine = engine;
    this.in = in;
    this.out = bufferedOut;
    int packetBuffer = engine.getSession().getPacketBufferSize();
    in.ensureCapacity(2 * packetBuffer);
    this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    this.appIn.flip();
    this.netOut = ByteBuffer.allocate(packetBuffer);
  }

  public SSLEngine engine() {
    return engine;
  }

  /** Decrypted bytes not yet read. */
  public int buffered() {
    return appIn.remaining();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!appIn.hasRemaining()) {
      if (!unwrapRecord()) {
        return -1;
      }
    }
    int n = Math.min(len, appIn.remaining());
    appIn.get(b, off, n);
    return n;
  }

  /** Unwraps one TLS record into appIn (which is empty); false at end of stream or close_notify. */
  private boolean unwrapRecord() throws IOException {
    while (true) {
      appIn.clear();
      SSLEngineResult r;
      try {
        r = engine.unwrap(in.buffer(), appIn);
      } finally {
        appIn.flip();
      }
      switch (r.getStatus()) {
        case OK:
          handlePostHandshake(r);
          if (appIn.hasRemaining()) {
            return true;
          }
          continue; // a record with no application data (e.g. a post-handshake message)
        case BUFFER_UNDERFLOW:
          if (in.fill() < 0) {
            return false;
          }
          continue;
        case BUFFER_OVERFLOW:
          appIn = ByteBuffer.allocate(appIn.capacity() * 2);
          appIn.flip();
          continue;
        case CLOSED:
        default:
          return false;
      }
    }
  }

  private void handlePostHandshake(SSLEngineResult r) throws IOException {
    SSLEngineResult.HandshakeStatus hs = r.getHandshakeStatus();
    while (hs == SSLEngineResult.HandshakeStatus.NEED_TASK
        || hs == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
      if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
          task.run();
        }
        hs = engine.getHandshakeStatus();
      } else {
        netOut.clear();
        SSLEngineResult w = engine.wrap(ByteBuffer.allocate(0), netOut);
        netOut.flip();
        out.write(netOut.array(), 0, netOut.limit());
        out.flush();
        hs = w.getHandshakeStatus();
      }
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    ByteBuffer src = ByteBuffer.wrap(b, off, len);
    while (src.hasRemaining()) {
      netOut.clear();
      SSLEngineResult r = engine.wrap(src, netOut);
      switch (r.getStatus()) {
        case OK:
          netOut.flip();
          out.write(netOut.array(), 0, netOut.limit());
          break;
        case BUFFER_OVERFLOW:
          netOut = ByteBuffer.allocate(netOut.capacity() * 2);
          break;
        default:
          throw new SSLException("TLS engine " + r.getStatus() + " while writing");
      }
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }
}
