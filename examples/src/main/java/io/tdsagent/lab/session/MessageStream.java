package io.tdsagent.lab.session;

import io.tdsagent.lab.sql.TokenOutput;
import io.tdsagent.lab.token.TokenWriter;
import io.tdsagent.lab.wire.PacketHeader;
import io.tdsagent.lab.wire.PacketType;
import io.tdsagent.lab.wire.PacketWriter;
import io.tdsagent.lab.wire.TdsBuffer;
import java.io.IOException;

/**
 * One response message written as it is produced: tokens go to a buffer, and whenever more than a
 * packet is buffered the full packets are sent (negotiated size, no EOM), so a result of any size
 * needs about one packet of memory. At token boundaries it notices an ATTENTION from the client
 * ({@link AttentionProbe}) and throws {@link TokenOutput.Cancelled}; the owner then ends the
 * message with {@link #endCancelled()}.
 */
final class MessageStream implements TokenOutput {
  /**
   * Whether the client has sent an ATTENTION (reads it if so); must not block when nothing was
   * sent.
   */
  interface AttentionProbe {
    boolean attentionArrived() throws IOException;
  }

  private static final long PAUSE_SLICE_MS = 5;

  private final PacketWriter writer;
  private final AttentionProbe probe;
  private final TdsBuffer buf = new TdsBuffer(64 * 1024);
  private final TokenWriter tokens;
  private boolean sentAny;
  private long bytesSent;
  private int lastBoundary;
  private long sentAtLastBoundary;

  /**
   * {@code tdsVersion}: the session's (LOGINACK) TDS version, for the layout of the tokens; {@code
   * plpToOldClients}: see {@link TokenWriter#plpToOldClients}.
   */
  MessageStream(
      PacketWriter writer,
      String serverName,
      int tdsVersion,
      boolean plpToOldClients,
      AttentionProbe probe) {
    this.writer = writer;
    this.probe = probe;
    this.tokens =
        new TokenWriter(buf, serverName).tdsVersion(tdsVersion).plpToOldClients(plpToOldClients);
  }

  TokenWriter tokens() {
    return tokens;
  }

  void begin() {
    buf.reset();
    sentAny = false;
    bytesSent = 0;
    lastBoundary = 0;
    sentAtLastBoundary = 0;
  }

  @Override
  public TdsBuffer buffer() {
    return buf;
  }

  @Override
  public void spill() throws IOException {
    int chunk = writer.packetSize() - PacketHeader.SIZE;
    if (buf.size() > chunk) {
      // keep at least one byte back: the message must end with a non-empty EOM packet
      int sent = writer.writeFullPackets(PacketType.TABULAR_RESULT, buf.array(), 0, buf.size() - 1);
      buf.discardFront(sent);
      bytesSent += sent;
      sentAny = true;
    }
  }

  @Override
  public void tokenBoundary() throws IOException {
    if (buf.size() > writer.packetSize() - PacketHeader.SIZE) {
      if (probe.attentionArrived()) {
        throw new Cancelled();
      }
      spill();
    }
    lastBoundary = buf.size();
    sentAtLastBoundary = bytesSent;
  }

  @Override
  public void pause(long millis) throws IOException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (true) {
      if (probe.attentionArrived()) {
        throw new Cancelled();
      }
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return;
      }
      try {
        Thread.sleep(Math.min(left, PAUSE_SLICE_MS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted during a wait");
      }
    }
  }

  /**
   * Ends the message (EOM) and flushes. If nothing was sent yet and an ATTENTION has arrived
   * meanwhile, throws {@link TokenOutput.Cancelled} instead (the batch counts as cancelled).
   */
  void end() throws IOException {
    if (!sentAny && probe.attentionArrived()) {
      throw new Cancelled();
    }
    writer.endMessage(PacketType.TABULAR_RESULT, buf.array(), 0, buf.size());
  }

  /**
   * After {@link TokenOutput.Cancelled}: like SQL Server, ends the cancelled request's response
   * with DONE(ERROR) (what was not sent yet is dropped if nothing was sent at all) and then sends
   * the attention acknowledgement, DONE(ATTN), as a message of its own: mssql-jdbc reads one more
   * message after the response's EOM.
   */
  void endCancelled() throws IOException {
    if (!sentAny) {
      buf.reset();
    } // else: Cancelled is only thrown at token boundaries, so the buffer ends with a whole token
    tokens.done(io.tdsagent.lab.token.Done.ERROR, io.tdsagent.lab.token.Done.CMD_NONE, 0);
    writer.endMessage(PacketType.TABULAR_RESULT, buf.array(), 0, buf.size());
    buf.reset();
    tokens.done(io.tdsagent.lab.token.Done.ATTN, io.tdsagent.lab.token.Done.CMD_NONE, 0);
    writer.endMessage(PacketType.TABULAR_RESULT, buf.array(), 0, buf.size());
  }

  /**
   * Whether the tokens after the last boundary can still be dropped (nothing of them was sent), so
   * that an error can end the response cleanly.
   */
  boolean canRewindToBoundary() {
    return bytesSent == sentAtLastBoundary;
  }

  void rewindToBoundary() {
    buf.truncate(lastBoundary);
  }

  boolean sentAny() {
    return sentAny;
  }
}
