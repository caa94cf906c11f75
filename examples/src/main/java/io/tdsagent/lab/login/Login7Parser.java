package io.tdsagent.lab.login;

import io.tdsagent.lab.wire.TdsCursor;
import io.tdsagent.lab.wire.TdsProtocolException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Decodes a LOGIN7 payload (MS-TDS 2.2.6.4). */
public final class Login7Parser {
  /** Size of the fixed part up to and including cbSSPILong (TDS 7.2+). */
  public static final int FIXED_LENGTH = 94;

  /** Size of the fixed part of TDS 7.0/7.1 (jTDS): it ends after ibAtchDBFile/cchAtchDBFile. */
  public static final int FIXED_LENGTH_TDS71 = 86;

  private Login7Parser() {}

  public static Login7 parse(byte[] payload) throws TdsProtocolException {
    TdsCursor c = new TdsCursor(payload);
    int length = c.int32();
    if (length > payload.length || length < FIXED_LENGTH_TDS71) {
      throw new TdsProtocolException(
          "LOGIN7 Length " + length + " but payload has " + payload.length);
    }
    int tdsVersion = c.int32();
    // TDS 7.0/7.1 (0x70000000, 0x71000000, 0x71000001) have no ChangePassword and no cbSSPILong
    // fields.
    boolean tds72 =
        Integer.compareUnsigned(tdsVersion, 0x72000000) >= 0 || tdsVersion == 0x08000000;
    if (tds72 && length < FIXED_LENGTH) {
      throw new TdsProtocolException("LOGIN7 Length " + length + " below the TDS 7.2 fixed part");
    }
    int packetSize = c.int32();
    int clientProgVer = c.int32();
    int clientPid = c.int32();
    int connectionId = c.int32();
    int optionFlags1 = c.uint8();
    int optionFlags2 = c.uint8();
    int typeFlags = c.uint8();
    int optionFlags3 = c.uint8();
    int clientTimeZone = c.int32();
    int clientLcid = c.int32();

    int ibHostName = c.uint16(), cchHostName = c.uint16();
    int ibUserName = c.uint16(), cchUserName = c.uint16();
    int ibPassword = c.uint16(), cchPassword = c.uint16();
    int ibAppName = c.uint16(), cchAppName = c.uint16();
    int ibServerName = c.uint16(), cchServerName = c.uint16();
    int ibExtension = c.uint16(), cbExtension = c.uint16();
    int ibCltIntName = c.uint16(), cchCltIntName = c.uint16();
    int ibLanguage = c.uint16(), cchLanguage = c.uint16();
    int ibDatabase = c.uint16(), cchDatabase = c.uint16();
    byte[] clientId = c.bytes(6);
    int ibSspi = c.uint16(), cbSspi = c.uint16();
    int ibAtchDbFile = c.uint16(), cchAtchDbFile = c.uint16();
    int cbSspiLong = 0;
    if (tds72) {
      c.uint16(); // ibChangePassword
      c.uint16(); // cchChangePassword
      cbSspiLong = c.int32();
    }

    TdsCursor all = new TdsCursor(payload, 0, length);
    int sspiLength = cbSspi == 0xFFFF && cbSspiLong > 0 ? cbSspiLong : cbSspi;
    byte[] sspi = sspiLength == 0 ? new byte[0] : all.bytesAt(ibSspi, sspiLength);

    Map<Integer, byte[]> features = new LinkedHashMap<>();
    if ((optionFlags3 & Login7.OPTION3_EXTENSION) != 0 && cbExtension >= 4) {
      int ibFeatureExtLong = new TdsCursor(all.bytesAt(ibExtension, 4)).int32();
      if (ibFeatureExtLong != 0) {
        parseFeatures(new TdsCursor(payload, 0, length), ibFeatureExtLong, features);
      }
    }

    return new Login7(
        length,
        tdsVersion,
        packetSize,
        clientProgVer,
        clientPid,
        connectionId,
        optionFlags1,
        optionFlags2,
        typeFlags,
        optionFlags3,
        clientTimeZone,
        clientLcid,
        all.utf16At(ibHostName, cchHostName),
        all.utf16At(ibUserName, cchUserName),
        decodePassword(all.bytesAt(ibPassword, cchPassword * 2)),
        all.utf16At(ibAppName, cchAppName),
        all.utf16At(ibServerName, cchServerName),
        all.utf16At(ibCltIntName, cchCltIntName),
        all.utf16At(ibLanguage, cchLanguage),
        all.utf16At(ibDatabase, cchDatabase),
        clientId,
        sspi,
        cchAtchDbFile == 0 ? "" : all.utf16At(ibAtchDbFile, cchAtchDbFile),
        features);
  }

  private static void parseFeatures(TdsCursor c, int offset, Map<Integer, byte[]> features)
      throws TdsProtocolException {
    c.position(offset);
    while (true) {
      int id = c.uint8();
      if (id == FeatureId.TERMINATOR) {
        return;
      }
      int len = c.int32();
      features.put(id, c.bytes(len));
    }
  }

  /**
   * MS-TDS 2.2.6.4: the client swapped the nibbles of every password byte and then XORed it with
   * 0xA5; the server XORs with 0xA5 first, then swaps the nibbles back.
   */
  static char[] decodePassword(byte[] obfuscated) {
    byte[] b = obfuscated.clone();
    for (int i = 0; i < b.length; i++) {
      int x = (b[i] & 0xFF) ^ 0xA5;
      b[i] = (byte) (((x & 0x0F) << 4) | ((x & 0xF0) >>> 4));
    }
    CharBuffer chars = StandardCharsets.UTF_16LE.decode(ByteBuffer.wrap(b));
    char[] out = Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
    Arrays.fill(b, (byte) 0);
    Arrays.fill(chars.array(), '\0');
    return out;
  }

  /** The client side of the obfuscation, for tests. */
  public static byte[] encodePassword(String password) {
    byte[] b = password.getBytes(StandardCharsets.UTF_16LE);
    for (int i = 0; i < b.length; i++) {
      int x = b[i] & 0xFF;
      b[i] = (byte) ((((x & 0x0F) << 4) | ((x & 0xF0) >>> 4)) ^ 0xA5);
    }
    return b;
  }
}
