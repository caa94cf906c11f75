package io.tdsagent.tds.tls;

import io.tdsagent.tds.wire.ByteReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Parses one complete handshake message body (RFC 5246 / RFC 8446 section 4). */
final class TlsHandshakeParser {
  static final int CLIENT_HELLO = 1;
  static final int SERVER_HELLO = 2;
  static final int CERTIFICATE = 11;

  private static final int EXT_SERVER_NAME = 0;
  private static final int EXT_ALPN = 16;
  private static final int EXT_SUPPORTED_VERSIONS = 43;

  /**
   * SHA-256("HelloRetryRequest"), the ServerHello.random of a HelloRetryRequest (RFC 8446 4.1.3).
   */
  private static final byte[] HRR_RANDOM = {
    (byte) 0xCF,
    0x21,
    (byte) 0xAD,
    0x74,
    (byte) 0xE5,
    (byte) 0x9A,
    0x61,
    0x11,
    (byte) 0xBE,
    0x1D,
    (byte) 0x8C,
    0x02,
    0x1E,
    0x65,
    (byte) 0xB8,
    (byte) 0x91,
    (byte) 0xC2,
    (byte) 0xA2,
    0x11,
    0x16,
    0x7A,
    (byte) 0xBB,
    (byte) 0x8C,
    0x5E,
    0x07,
    (byte) 0x9E,
    0x09,
    (byte) 0xE2,
    (byte) 0xC8,
    (byte) 0xA8,
    0x33,
    (byte) 0x9C
  };

  private TlsHandshakeParser() {}

  /**
   * @param tls13 whether TLS 1.3 was negotiated (its Certificate layout differs and is encrypted
   *     anyway)
   */
  public static TlsHandshakeMessage parse(int type, ByteReader body, boolean tls13) {
    int length = body.length();
    switch (type) {
      case CLIENT_HELLO:
        return clientHello(length, body);
      case SERVER_HELLO:
        return serverHello(length, body);
      case CERTIFICATE:
        return tls13 ? new OtherHandshakeMessage(type, length) : certificate(length, body);
      default:
        return new OtherHandshakeMessage(type, length);
    }
  }

  private static ClientHello clientHello(int length, ByteReader r) {
    int legacy = r.u16be();
    r.skip(32); // random
    r.skip(r.u8()); // legacy_session_id
    ByteReader suites = r.slice(r.u16be());
    List<Integer> cipherSuites = new ArrayList<>();
    while (suites.remaining() >= 2) {
      cipherSuites.add(suites.u16be());
    }
    r.skip(r.u8()); // compression methods
    List<Integer> versions = new ArrayList<>();
    List<String> alpn = new ArrayList<>();
    String sni = null;
    if (r.remaining() >= 2) {
      ByteReader exts = r.slice(r.u16be());
      while (exts.remaining() >= 4) {
        int ext = exts.u16be();
        ByteReader data = exts.slice(exts.u16be());
        switch (ext) {
          case EXT_SERVER_NAME:
            sni = serverName(data);
            break;
          case EXT_ALPN:
            alpn.addAll(alpnList(data));
            break;
          case EXT_SUPPORTED_VERSIONS:
            {
              ByteReader list = data.slice(data.u8());
              while (list.remaining() >= 2) {
                versions.add(list.u16be());
              }
              break;
            }
          default:
            break;
        }
      }
    }
    return new ClientHello(length, legacy, versions, cipherSuites, sni, alpn);
  }

  private static String serverName(ByteReader data) {
    ByteReader list = data.slice(data.u16be());
    while (list.hasRemaining()) {
      int nameType = list.u8();
      int n = list.u16be();
      if (nameType == 0) {
        return new String(list.bytes(n), StandardCharsets.US_ASCII);
      }
      list.skip(n);
    }
    return null;
  }

  private static List<String> alpnList(ByteReader data) {
    List<String> out = new ArrayList<>();
    ByteReader list = data.slice(data.u16be());
    while (list.hasRemaining()) {
      out.add(new String(list.bytes(list.u8()), StandardCharsets.US_ASCII));
    }
    return out;
  }

  private static ServerHello serverHello(int length, ByteReader r) {
    int legacy = r.u16be();
    byte[] random = r.bytes(32);
    r.skip(r.u8()); // session id
    int cipher = r.u16be();
    r.u8(); // compression
    int selected = legacy;
    String alpn = null;
    if (r.remaining() >= 2) {
      ByteReader exts = r.slice(r.u16be());
      while (exts.remaining() >= 4) {
        int ext = exts.u16be();
        ByteReader data = exts.slice(exts.u16be());
        if (ext == EXT_SUPPORTED_VERSIONS && data.remaining() >= 2) {
          selected = data.u16be();
        } else if (ext == EXT_ALPN) {
          List<String> l = alpnList(data);
          alpn = l.isEmpty() ? null : l.get(0);
        }
      }
    }
    return new ServerHello(
        length, legacy, selected, cipher, alpn, Arrays.equals(random, HRR_RANDOM));
  }

  private static ServerCertificate certificate(int length, ByteReader r) {
    ByteReader list = r.slice(r.u24be());
    int count = 0;
    byte[] first = null;
    while (list.hasRemaining()) {
      int n = list.u24be();
      if (first == null) {
        first = list.bytes(n);
      } else {
        list.skip(n);
      }
      count++;
    }
    // Parsed as X.509 only when first asked (ServerCertificate): the DER is public, the parse is
    // costly.
    return new ServerCertificate(length, count, first);
  }
}
