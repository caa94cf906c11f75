package io.tdsagent.lab.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/** Drives a server-side SSLEngine handshake over a {@link HandshakeIo}. */
public final class TlsHandshake {
  private TlsHandshake() {}

  public static void run(SSLEngine engine, HandshakeIo io) throws IOException {
    ByteBuffer empty = ByteBuffer.allocate(0);
    ByteBuffer netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    ByteBuffer appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    engine.beginHandshake();
    HandshakeStatus hs = engine.getHandshakeStatus();
    while (true) {
      switch (hs) {
        case NEED_WRAP:
          {
            netOut.clear();
            SSLEngineResult r = engine.wrap(empty, netOut);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
              netOut = ByteBuffer.allocate(netOut.capacity() * 2);
              hs = engine.getHandshakeStatus();
              continue;
            }
            netOut.flip();
            if (netOut.hasRemaining()) {
              io.send(netOut);
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
              io.flush();
              throw new SSLException("TLS handshake closed by the server engine");
            }
            hs = r.getHandshakeStatus();
            break;
          }
        case NEED_UNWRAP:
        case NEED_UNWRAP_AGAIN:
          {
            ByteBuffer in = io.inbound();
            appIn.clear();
            SSLEngineResult r = engine.unwrap(in, appIn);
            switch (r.getStatus()) {
              case BUFFER_UNDERFLOW:
                if (!io.readMore()) {
                  throw new java.io.EOFException("connection closed during the TLS handshake");
                }
                hs = engine.getHandshakeStatus();
                continue;
              case BUFFER_OVERFLOW:
                appIn = ByteBuffer.allocate(appIn.capacity() * 2);
                hs = engine.getHandshakeStatus();
                continue;
              case CLOSED:
                throw new SSLException("client closed the connection during the TLS handshake");
              default:
                hs = r.getHandshakeStatus();
            }
            break;
          }
        case NEED_TASK:
          {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
              task.run();
            }
            hs = engine.getHandshakeStatus();
            break;
          }
        case FINISHED:
        case NOT_HANDSHAKING:
        default:
          io.flush();
          return;
      }
    }
  }
}
