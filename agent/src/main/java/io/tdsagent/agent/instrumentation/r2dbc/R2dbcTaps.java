package io.tdsagent.agent.instrumentation.r2dbc;

import io.tdsagent.agent.config.CaptureSwitch;
import io.tdsagent.agent.tap.ChannelTap;
import io.tdsagent.agent.tap.WeakIdentityTable;
import io.tdsagent.agent.time.Clock;
import io.tdsagent.trace.ConnectionTracer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the r2dbc-mssql advice cannot keep in the driver's own objects, in JDK types only (this
 * class is loaded by the agent's loader, which need not see Netty): when an attempt started, which
 * channel a stream decoder reads for, and the driver's messages turned into the TDS packets the tap
 * reads.
 */
public final class R2dbcTaps {
  /**
   * Per {@code TdsEncoder} (one per attempt, made as the connect is subscribed): when it started
   * and the driver's connect timeout.
   */
  private static final WeakIdentityTable<Attempt> STARTED = new WeakIdentityTable<>();

  /**
   * The encoder made last on this thread: {@code ReactorNettyClient.connect} makes it, then
   * returns.
   */
  private static final ThreadLocal<Object> LAST_ENCODER = new ThreadLocal<>();

  /** One connect attempt: its start, and the timeout its connect runs under. */
  static final class Attempt {
    final long startNanos;
    volatile long timeoutMillis = -1;

    Attempt(long startNanos) {
      this.startNanos = startNanos;
    }
  }

  /** The Netty channel whose {@code ReactorNettyClient} is being constructed on this thread. */
  private static final ThreadLocal<Object> CONSTRUCTING = new ThreadLocal<>();

  private static final int HEADER = 8;
  private static final int EOM = 0x01;

  private R2dbcTaps() {}

  public static void encoderCreated(Object encoder) {
    STARTED.put(encoder, new Attempt(Clock.now()));
    LAST_ENCODER.set(encoder);
  }

  /**
   * {@code ReactorNettyClient.connect} returned the Mono of its TCP connect, with the encoder it
   * made on this thread: the connect's timeout is noted, and the returned watcher turns a failed
   * connect (refused, reset, Netty's connect timeout) into the attempt's login span. Null when
   * there is nothing to watch (capture off, no encoder seen); the watcher never throws.
   */
  public static Consumer<Throwable> connecting(String host, int port, long timeoutMillis) {
    Object encoder = LAST_ENCODER.get();
    LAST_ENCODER.remove();
    Attempt attempt = encoder == null ? null : STARTED.get(encoder);
    if (attempt == null || !CaptureSwitch.isOn()) {
      return null;
    }
    attempt.timeoutMillis = timeoutMillis;
    return error -> {
      // the connect failed: the channel never reached the driver's handlers, nothing else ends it
      if (STARTED.remove(encoder) != null) {
        ChannelTap.connectFailed(
            encoder, host, port, attempt.startNanos, attempt.timeoutMillis, error);
      }
    };
  }

  /**
   * The channel is connected and the driver's handlers are in place: the tap starts, its TCP
   * connect timed from the encoder's creation. Null (no tap) when capture is off or this attempt
   * was seen before.
   */
  public static Object connected(Object encoder, Object driverObject, Object remote) {
    Attempt started = encoder == null ? null : STARTED.remove(encoder);
    if (started == null || !(remote instanceof InetSocketAddress)) {
      return null;
    }
    InetSocketAddress a = (InetSocketAddress) remote;
    return ChannelTap.connected(
        driverObject, a.getHostString(), a.getPort(), started.startNanos, a, started.timeoutMillis);
  }

  /**
   * The driver's connection failed (a read or write error: a reset, a broken pipe), seen before the
   * driver hands the error to the application: what was in flight ends here, as when jTDS's read
   * fails, rather than when (or whether, before the JVM exits) the channel's close is seen.
   */
  public static void connectionFailed(Object tap, Throwable error) {
    if (tap == null || error == null) {
      return;
    }
    if (ConnectionTracer.isReset(error)) {
      ChannelTap.clientError(tap, error.getMessage(), error);
    }
    ChannelTap.readFailed(tap, error);
    ChannelTap.close(tap);
  }

  public static void clientConstructing(Object channel) {
    CONSTRUCTING.set(channel);
  }

  public static void clientConstructed() {
    CONSTRUCTING.remove();
  }

  /**
   * Per {@code StreamDecoder}: the channel it reads for, kept here rather than in a field of the
   * driver's class, so that the same advice fits a class retransformed after an attach (which
   * cannot gain fields).
   */
  private static final WeakIdentityTable<Object> DECODER_CHANNEL = new WeakIdentityTable<>();

  /** The client makes one decoder while it is constructed: it reads for that channel. */
  public static void decoderCreated(Object decoder) {
    Object channel = CONSTRUCTING.get();
    CONSTRUCTING.remove();
    if (channel != null && decoder != null) {
      DECODER_CHANNEL.put(decoder, channel);
    }
  }

  /** The channel a decoder reads for, or null: at every read, so no lock and no allocation. */
  public static Object channelOf(Object decoder) {
    return decoder == null ? null : DECODER_CHANNEL.get(decoder);
  }

  /** Kept per thread up to this size; a larger read gets an array of its own. */
  static final int SCRATCH_KEPT = 64 * 1024;

  private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();

  /**
   * An array of at least {@code n} bytes to read a direct buffer's plaintext into: the same one for
   * every read on this thread (a Netty event loop), since the tap keeps none of the bytes it is
   * handed (as with the JDBC drivers, whose buffers are reused too).
   */
  public static byte[] scratch(int n) {
    byte[] b = SCRATCH.get();
    if (b != null && b.length >= n) {
      return b;
    }
    if (n > SCRATCH_KEPT) {
      return new byte[n];
    }
    b = new byte[Math.max(n, 8192)];
    SCRATCH.set(b);
    return b;
  }

  /**
   * One driver message (or part of one) as the encoder frames it, handed to the tap packet by
   * packet. The packet ids are not the wire's; the decoder does not read them.
   */
  public static Object message(
      Object tap, int type, int status, boolean last, byte[] body, int packetSize) {
    for (byte[] packet : frame(type, status, last, body, packetSize)) {
      tap = ChannelTap.write(tap, packet, 0, packet.length);
      if (tap == null) {
        break;
      }
    }
    return tap;
  }

  /**
   * The body in packets of at most {@code packetSize} bytes, EOM on the last packet of the last
   * part only.
   */
  static List<byte[]> frame(int type, int status, boolean last, byte[] body, int packetSize) {
    int room = Math.max(512, Math.min(packetSize, 32767)) - HEADER;
    List<byte[]> packets = new ArrayList<>(body.length / room + 1);
    int off = 0;
    do {
      int n = Math.min(room, body.length - off);
      boolean end = last && off + n == body.length;
      byte[] packet = new byte[HEADER + n];
      packet[0] = (byte) type;
      packet[1] = (byte) (end ? status | EOM : status & ~EOM);
      packet[2] = (byte) (packet.length >> 8);
      packet[3] = (byte) packet.length;
      packet[6] = (byte) (packets.size() + 1);
      System.arraycopy(body, off, packet, HEADER, n);
      packets.add(packet);
      off += n;
    } while (off < body.length);
    return packets;
  }
}
