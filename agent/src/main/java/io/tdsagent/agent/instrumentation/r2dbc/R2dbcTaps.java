package io.tdsagent.agent.instrumentation.r2dbc;

import io.tdsagent.agent.tap.ChannelTap;
import io.tdsagent.agent.tap.WeakIdentityTable;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What the r2dbc-mssql advice cannot keep in the driver's own objects, in JDK types only (this
 * class is loaded by the agent's loader, which need not see Netty): when an attempt started, which
 * channel a stream decoder reads for, and the driver's messages turned into the TDS packets the tap
 * reads.
 */
public final class R2dbcTaps {
  /**
   * Per {@code TdsEncoder} (one per attempt, made as the connect is subscribed): when it started.
   */
  private static final WeakIdentityTable<Long> STARTED = new WeakIdentityTable<>();

  /** The Netty channel whose {@code ReactorNettyClient} is being constructed on this thread. */
  private static final ThreadLocal<Object> CONSTRUCTING = new ThreadLocal<>();

  private static final int HEADER = 8;
  private static final int EOM = 0x01;

  private R2dbcTaps() {}

  public static void encoderCreated(Object encoder) {
    STARTED.put(encoder, System.nanoTime());
  }

  /**
   * The channel is connected and the driver's handlers are in place: the tap starts, its TCP
   * connect timed from the encoder's creation. Null (no tap) when capture is off or this attempt
   * was seen before.
   */
  public static Object connected(Object encoder, Object driverObject, Object remote) {
    Long started = encoder == null ? null : STARTED.remove(encoder);
    if (started == null || !(remote instanceof InetSocketAddress)) {
      return null;
    }
    InetSocketAddress a = (InetSocketAddress) remote;
    return ChannelTap.connected(driverObject, a.getHostString(), a.getPort(), started, a);
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
