package io.tdsagent.capture;

import io.tdsagent.tds.login.Login7Secrets;
import io.tdsagent.tds.login.TdsVersion;
import io.tdsagent.tds.packet.PacketReassembler;
import io.tdsagent.tds.packet.PacketType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Takes the plaintext bytes of one TDS connection, as the driver wrote and read them in whatever
 * pieces, and hands out copies with the credentials zeroed, fit to be written to a file:
 *
 * <ul>
 *   <li>LOGIN7: the password and change-password, the FEDAUTH feature data after its options byte
 *       (see {@link Login7Secrets#maskForExport}), the secrets of the SSPI blob. A LOGIN7 is held
 *       back until its last packet is in, so its ranges are known whatever the split, then released
 *       as the chunks it arrived in;
 *   <li>SSPI messages (0x11) and the server's SSPI tokens (0xED) in the login response: the secrets
 *       of the blob, held the same way until it is whole;
 *   <li>pre-TDS 7 logins (0x02): the whole payload; FEDAUTH token messages (0x08): all but the
 *       leading DataLen.
 * </ul>
 *
 * An SSPI blob keeps what the decoder reads of the authentication (NTLM message types, flags, names
 * and target info; Kerberos realm, sname, enctypes, options; SPNEGO mechanisms and states), so a
 * replay rebuilds the same legs; responses, keys, MICs, tickets' and authenticators' ciphers are
 * overwritten at the same length (see {@link SspiRedaction}). A blob that is not understood is
 * zeroed whole.
 *
 * <p>Packet headers, lengths and offsets are never changed, so the result still parses as TDS.
 * Whatever cannot be understood is zeroed rather than passed: a framing error zeroes the rest of
 * that direction, an unknown token in a login response zeroes the rest of that message, a LOGIN7
 * larger than the cap (or cut short by the close) keeps its fixed part only.
 *
 * <p>The caller's arrays are never changed. Not thread-safe: one instance per connection, fed in
 * order.
 */
public final class SecretMasker {

  /**
   * Receives masked chunks in connection order. {@code data} is a fresh array the receiver may
   * keep.
   */
  public interface Output {
    void chunk(boolean fromClient, byte[] data, long timeNanos);
  }

  public static final int DEFAULT_MAX_LOGIN7 = 1 << 20;

  private static final int FEDAUTH_KEPT = 4; // DataLen
  private static final int LOGIN7_FIXED_PART =
      86; // no secret before the variable data (TDS 7.1 layout)

  private final Output out;
  private final int maxLogin7;
  private final Client client = new Client();
  private final Server server = new Server();

  /** Between a LOGIN7 and the client's first ordinary request: server messages are token-walked. */
  private boolean loginPhase;

  /** TDS version the LOGIN7 asked for: DONE tokens are 8 bytes before 7.2. */
  private int tdsVersion;

  public SecretMasker(Output out) {
    this(out, DEFAULT_MAX_LOGIN7);
  }

  public SecretMasker(Output out, int maxLogin7Bytes) {
    this.out = out;
    this.maxLogin7 = maxLogin7Bytes;
  }

  /** Bytes the client wrote. */
  public void client(byte[] src, int off, int len, long timeNanos) {
    if (len > 0) {
      client.feed(Arrays.copyOfRange(src, off, off + len), timeNanos);
    }
  }

  /** Bytes the client read. */
  public void server(byte[] src, int off, int len, long timeNanos) {
    if (len > 0) {
      server.feed(Arrays.copyOfRange(src, off, off + len), timeNanos);
    }
  }

  /** The connection ends: a LOGIN7 still held is released with its variable part zeroed. */
  public void close() {
    client.releaseIncomplete();
    server.dropSspi();
    server.flush();
  }

  private static void zero(byte[] b, int from, int to) {
    if (from < to) {
      Arrays.fill(b, from, to, (byte) 0);
    }
  }

  // ---- client ---------------------------------------------------------------------------------

  private enum ClientMode {
    PASS,
    MASK_ALL,
    FEDAUTH,
    LOGIN7,
    SSPI
  }

  private final class Client implements PacketReassembler.Sink {
    private final PacketReassembler framer = new PacketReassembler(this);
    private ClientMode mode = ClientMode.PASS;
    private long messagePos;
    private boolean failed;

    private byte[] chunk;
    private boolean chunkHeld;

    /** Chunks of a LOGIN7 being held, with their times. */
    private final List<byte[]> held = new ArrayList<>();

    private final List<Long> heldTimes = new ArrayList<>();
    private boolean release;

    /**
     * The LOGIN7 payload so far, and where each piece of it sits: {held index, offset, payload
     * position, length}.
     */
    private byte[] payload = new byte[0];

    private int payloadSize;
    private int[] map = new int[32];
    private int mapSize;
    private boolean overflow;

    /**
     * What of a held message survives being cut short or too big: LOGIN7's fixed part, nothing of
     * an SSPI blob.
     */
    private int keptWhenCut;

    Client() {
      framer.setRawTlsAllowed(true);
    }

    void feed(byte[] data, long time) {
      chunk = data;
      chunkHeld = false;
      if (!held.isEmpty()) {
        hold(); // a LOGIN7 is being held: so is every chunk until its end, header-only ones too
      }
      if (failed) {
        zero(data, 0, data.length);
      } else {
        framer.feed(data, 0, data.length, time);
      }
      if (failed) {
        zero(data, 0, data.length); // where in the chunk framing broke is not known: all of it
      }
      if (chunkHeld) {
        heldTimes.add(time);
        if (release || failed) {
          flushHeld();
        }
      } else {
        out.chunk(true, data, time);
      }
      chunk = null;
    }

    private void hold() {
      if (!chunkHeld) {
        chunkHeld = true;
        held.add(chunk);
      }
    }

    private void flushHeld() {
      for (int i = 0; i < held.size(); i++) {
        out.chunk(true, held.get(i), heldTimes.get(i));
      }
      held.clear();
      heldTimes.clear();
      mapSize = 0;
      release = false;
      wipePayload();
    }

    private void wipePayload() {
      Arrays.fill(payload, 0, payloadSize, (byte) 0);
      payloadSize = 0;
    }

    void releaseIncomplete() {
      if (!held.isEmpty()) {
        zeroHeldFrom(keptWhenCut);
        flushHeld();
      }
    }

    /** Zeroes the held LOGIN7 payload from this payload position on. */
    private void zeroHeldFrom(int from) {
      for (int i = 0; i < mapSize; i += 4) {
        int pos = map[i + 2];
        int len = map[i + 3];
        int skip = Math.max(0, Math.min(len, from - pos));
        byte[] c = held.get(map[i]);
        zero(c, map[i + 1] + skip, map[i + 1] + len);
      }
    }

    @Override
    public void onMessageStart(PacketReassembler r) {
      messagePos = 0;
      int type = r.rawType();
      if (type == PacketType.LOGIN7.code()) {
        mode = ClientMode.LOGIN7;
        loginPhase = true;
        startHeld(LOGIN7_FIXED_PART);
      } else if (type == PacketType.SSPI.code()) {
        mode = ClientMode.SSPI;
        startHeld(0);
      } else if (type == PacketType.PRE_TDS7_LOGIN.code()) {
        mode = ClientMode.MASK_ALL;
      } else if (type == PacketType.FEDAUTH_TOKEN.code()) {
        mode = ClientMode.FEDAUTH;
      } else {
        mode = ClientMode.PASS;
        if (type != PacketType.PRELOGIN.code()) {
          loginPhase = false; // an ordinary request: the login is over
        }
      }
    }

    @Override
    public void onPayload(PacketReassembler r, byte[] buf, int off, int len) {
      long pos = messagePos;
      messagePos += len;
      switch (mode) {
        case MASK_ALL:
          zero(buf, off, off + len);
          return;
        case FEDAUTH:
          {
            int keep = (int) Math.max(0, Math.min(len, FEDAUTH_KEPT - pos));
            zero(buf, off + keep, off + len);
            return;
          }
        case LOGIN7:
        case SSPI:
          collect(buf, off, len);
          return;
        default:
      }
    }

    /** A message whose secrets can only be found once it is whole: held until its end. */
    private void startHeld(int kept) {
      keptWhenCut = kept;
      // a second such message starting in the chunk that releases the first cannot be held: zeroed
      overflow = release;
      wipePayload();
      hold();
    }

    private void collect(byte[] buf, int off, int len) {
      if (overflow) {
        zero(buf, off, off + len); // nothing to work out: not held
        return;
      }
      hold();
      if (payloadSize + len > maxLogin7) {
        // too big to hold: keep the fixed part, zero the rest, and let the message go
        overflow = true;
        zeroHeldFrom(keptWhenCut);
        int keep = Math.max(0, Math.min(len, keptWhenCut - payloadSize));
        zero(buf, off + keep, off + len);
        wipePayload();
        release = true;
        return;
      }
      if (payloadSize + len > payload.length) {
        byte[] bigger =
            Arrays.copyOf(payload, Math.max(payload.length * 2, Math.max(1024, payloadSize + len)));
        Arrays.fill(
            payload, (byte) 0); // the old copy only: the payload so far lives on in the new one
        payload = bigger;
      }
      System.arraycopy(buf, off, payload, payloadSize, len);
      if (mapSize + 4 > map.length) {
        map = Arrays.copyOf(map, map.length * 2);
      }
      map[mapSize++] = held.size() - 1;
      map[mapSize++] = off;
      map[mapSize++] = payloadSize;
      map[mapSize++] = len;
      payloadSize += len;
    }

    @Override
    public void onMessageEnd(PacketReassembler r, boolean ignored) {
      boolean whole = mode == ClientMode.LOGIN7 || mode == ClientMode.SSPI;
      if (whole && !overflow) {
        if (mode == ClientMode.LOGIN7) {
          maskLogin7();
        } else {
          SspiRedaction.redact(payload, 0, payloadSize);
        }
        for (int i = 0; i < mapSize; i += 4) {
          System.arraycopy(payload, map[i + 2], held.get(map[i]), map[i + 1], map[i + 3]);
        }
        wipePayload();
      }
      if (whole) {
        release = true;
      }
      mode = ClientMode.PASS;
    }

    /**
     * The passwords and feature secrets go; the SSPI blob keeps its structure (see {@link
     * SspiRedaction}).
     */
    private void maskLogin7() {
      long[] sspi = Login7Secrets.sspiRange(payload, payloadSize);
      byte[] blob = null;
      if (sspi != null && sspi[1] > 0 && sspi[0] + sspi[1] <= payloadSize) {
        blob = Arrays.copyOfRange(payload, (int) sspi[0], (int) (sspi[0] + sspi[1]));
      }
      Login7Secrets.maskForExport(payload, payloadSize);
      if (blob != null) {
        SspiRedaction.redact(blob, 0, blob.length);
        System.arraycopy(blob, 0, payload, (int) sspi[0], blob.length);
        Arrays.fill(blob, (byte) 0);
        Login7Secrets.scrubPasswords(
            payload, payloadSize); // should the blob's range cover a password
      }
      if (payloadSize >= 8) {
        tdsVersion =
            (payload[4] & 0xFF)
                | (payload[5] & 0xFF) << 8
                | (payload[6] & 0xFF) << 16
                | (payload[7] & 0xFF) << 24;
      }
    }

    @Override
    public void onFramingError(PacketReassembler r, String reason) {
      failed = true;
      for (byte[] c : held) {
        zero(c, 0, c.length);
      }
      wipePayload();
    }
  }

  // ---- server ---------------------------------------------------------------------------------

  private enum TokenState {
    TYPE,
    LENGTH,
    BODY,
    FEATURE_ID,
    REST
  }

  private final class Server implements PacketReassembler.Sink {
    private final PacketReassembler framer = new PacketReassembler(this);
    private boolean failed;
    private boolean walk;
    private TokenState state = TokenState.TYPE;
    private int lengthBytes;
    private int lengthGot;
    private long length;
    private boolean maskBody;
    private long bodyRemaining;
    private boolean inFeatureAck;

    /** An SSPI token's body is held until it is whole, with the chunks it sits in. */
    private byte[] chunk;

    private long chunkTime;
    private final List<byte[]> held = new ArrayList<>();
    private final List<Long> heldTimes = new ArrayList<>();
    private byte[] sspi = new byte[256];
    private int sspiSize;

    /** Where each piece of the body sits: {held index, offset, length}. */
    private final List<int[]> pieces = new ArrayList<>();

    Server() {
      framer.setRawTlsAllowed(true);
    }

    void feed(byte[] data, long time) {
      chunk = data;
      chunkTime = time;
      if (!held.isEmpty()) {
        held.add(data);
        heldTimes.add(time);
      }
      if (!failed) {
        framer.feed(data, 0, data.length, time);
      }
      if (failed) {
        zero(data, 0, data.length);
        for (byte[] c : held) {
          zero(c, 0, c.length);
        }
        Arrays.fill(sspi, (byte) 0);
        sspiSize = 0;
        pieces.clear();
      }
      if (held.isEmpty()) {
        out.chunk(false, data, time);
      } else if (pieces.isEmpty()) {
        flush();
      }
      chunk = null;
    }

    private void flush() {
      for (int i = 0; i < held.size(); i++) {
        out.chunk(false, held.get(i), heldTimes.get(i));
      }
      held.clear();
      heldTimes.clear();
    }

    /**
     * An SSPI token that never became whole (the message or the connection ended): what came of it
     * is zeroed.
     */
    void dropSspi() {
      for (int[] piece : pieces) {
        zero(held.get(piece[0]), piece[1], piece[1] + piece[2]);
      }
      Arrays.fill(sspi, 0, sspiSize, (byte) 0);
      sspiSize = 0;
      pieces.clear();
    }

    /** Part of an SSPI token's body: kept aside (and where it is) until the token is whole. */
    private void collectSspi(byte[] b, int p, int n) {
      if (held.isEmpty() || held.get(held.size() - 1) != chunk) {
        held.add(chunk);
        heldTimes.add(chunkTime);
      }
      if (b != chunk) {
        zero(b, p, p + n); // not in the chunk (should not happen): nothing to put back into
        return;
      }
      if (sspiSize + n > sspi.length) {
        byte[] bigger = Arrays.copyOf(sspi, Math.max(sspi.length * 2, sspiSize + n));
        Arrays.fill(sspi, (byte) 0);
        sspi = bigger;
      }
      System.arraycopy(b, p, sspi, sspiSize, n);
      sspiSize += n;
      pieces.add(new int[] {held.size() - 1, p, n});
    }

    /** The SSPI token is whole: redacted, and put back where its pieces came from. */
    private void releaseSspi() {
      SspiRedaction.redact(sspi, 0, sspiSize);
      int at = 0;
      for (int[] piece : pieces) {
        System.arraycopy(sspi, at, held.get(piece[0]), piece[1], piece[2]);
        at += piece[2];
      }
      Arrays.fill(sspi, 0, sspiSize, (byte) 0);
      sspiSize = 0;
      pieces.clear();
    }

    @Override
    public void onMessageStart(PacketReassembler r) {
      walk = loginPhase && r.rawType() == PacketType.TABULAR_RESULT.code();
      dropSspi();
      state = TokenState.TYPE;
      inFeatureAck = false;
    }

    @Override
    public void onPayload(PacketReassembler r, byte[] b, int off, int len) {
      if (!walk) {
        return;
      }
      int p = off;
      int end = off + len;
      while (p < end) {
        switch (state) {
          case TYPE:
            token(b[p++] & 0xFF);
            break;
          case FEATURE_ID:
            if ((b[p++] & 0xFF) == 0xFF) {
              inFeatureAck = false;
              state = TokenState.TYPE;
            } else {
              length(4, false);
            }
            break;
          case LENGTH:
            length |= (long) (b[p++] & 0xFF) << (8 * lengthGot);
            if (++lengthGot == lengthBytes) {
              body(length, maskBody);
            }
            break;
          case BODY:
            {
              int n = (int) Math.min(bodyRemaining, end - p);
              if (maskBody) {
                collectSspi(b, p, n);
              }
              p += n;
              bodyRemaining -= n;
              if (bodyRemaining == 0) {
                if (maskBody) {
                  releaseSspi();
                }
                state = inFeatureAck ? TokenState.FEATURE_ID : TokenState.TYPE;
              }
              break;
            }
          default: // REST: a token this walker cannot size; nothing after it can be trusted
            zero(b, p, end);
            p = end;
        }
      }
    }

    private void token(int type) {
      switch (type) {
        case 0xAA: // ERROR
        case 0xAB: // INFO
        case 0xAD: // LOGINACK
        case 0xE3: // ENVCHANGE
        case 0xA9: // ORDER
          length(2, false);
          return;
        case 0xED: // SSPI
          length(2, true);
          return;
        case 0xEE: // FEDAUTHINFO
        case 0xE4: // SESSIONSTATE
          length(4, false);
          return;
        case 0xAE: // FEATUREEXTACK
          inFeatureAck = true;
          state = TokenState.FEATURE_ID;
          return;
        case 0x79: // RETURNSTATUS
          body(4, false);
          return;
        case 0xFD: // DONE
        case 0xFE: // DONEPROC
        case 0xFF: // DONEINPROC
          body(tdsVersion != 0 && !TdsVersion.atLeast72(tdsVersion) ? 8 : 12, false);
          return;
        default:
          state = TokenState.REST;
      }
    }

    private void length(int bytes, boolean mask) {
      state = TokenState.LENGTH;
      lengthBytes = bytes;
      lengthGot = 0;
      length = 0;
      maskBody = mask;
    }

    private void body(long n, boolean mask) {
      maskBody = mask;
      bodyRemaining = n;
      state = n == 0 ? (inFeatureAck ? TokenState.FEATURE_ID : TokenState.TYPE) : TokenState.BODY;
    }

    @Override
    public void onFramingError(PacketReassembler r, String reason) {
      failed = true;
    }
  }
}
