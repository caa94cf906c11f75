package io.tdsagent.tds.tls;

import io.tdsagent.tds.wire.Hex;
import java.util.HashMap;
import java.util.Map;

/** IANA names for the TLS code points worth showing; unknown values get a hex form. */
public final class TlsNames {
  private static final Map<Integer, String> CIPHERS = new HashMap<>();
  private static final Map<Integer, String> ALERTS = new HashMap<>();
  private static final Map<Integer, String> HANDSHAKES = new HashMap<>();

  static {
    cipher(0x1301, "TLS_AES_128_GCM_SHA256");
    cipher(0x1302, "TLS_AES_256_GCM_SHA384");
    cipher(0x1303, "TLS_CHACHA20_POLY1305_SHA256");
    cipher(0x1304, "TLS_AES_128_CCM_SHA256");
    cipher(0x1305, "TLS_AES_128_CCM_8_SHA256");
    cipher(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    cipher(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    cipher(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    cipher(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    cipher(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    cipher(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    cipher(0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    cipher(0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256");
    cipher(0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384");
    cipher(0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");
    cipher(0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384");
    cipher(0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
    cipher(0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA");
    cipher(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
    cipher(0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA");
    // Older and rarer suites that clients still offer (JDK, OpenSSL, GnuTLS, Schannel): IANA names.
    cipher(0x0001, "TLS_RSA_WITH_NULL_MD5");
    cipher(0x0002, "TLS_RSA_WITH_NULL_SHA");
    cipher(0x003B, "TLS_RSA_WITH_NULL_SHA256");
    cipher(0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA");
    cipher(0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA");
    cipher(0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA");
    cipher(0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA");
    cipher(0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256");
    cipher(0x006A, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256");
    cipher(0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA");
    cipher(0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA");
    cipher(0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA");
    cipher(0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA");
    cipher(0x00BA, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256");
    cipher(0x00C0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256");
    cipher(0xC001, "TLS_ECDH_ECDSA_WITH_NULL_SHA");
    cipher(0xC002, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA");
    cipher(0xC003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA");
    cipher(0xC004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA");
    cipher(0xC005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA");
    cipher(0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA");
    cipher(0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA");
    cipher(0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA");
    cipher(0xC00B, "TLS_ECDH_RSA_WITH_NULL_SHA");
    cipher(0xC00C, "TLS_ECDH_RSA_WITH_RC4_128_SHA");
    cipher(0xC00D, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA");
    cipher(0xC00E, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA");
    cipher(0xC00F, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA");
    cipher(0xC010, "TLS_ECDHE_RSA_WITH_NULL_SHA");
    cipher(0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA");
    cipher(0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA");
    cipher(0xC025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256");
    cipher(0xC026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384");
    cipher(0xC029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256");
    cipher(0xC02A, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384");
    cipher(0xC02D, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256");
    cipher(0xC02E, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384");
    cipher(0xC031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256");
    cipher(0xC032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384");
    cipher(0xC072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256");
    cipher(0xC073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384");
    cipher(0xC076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256");
    cipher(0xC077, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384");
    cipher(0xC09C, "TLS_RSA_WITH_AES_128_CCM");
    cipher(0xC09D, "TLS_RSA_WITH_AES_256_CCM");
    cipher(0xC09E, "TLS_DHE_RSA_WITH_AES_128_CCM");
    cipher(0xC09F, "TLS_DHE_RSA_WITH_AES_256_CCM");
    cipher(0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8");
    cipher(0xC0A1, "TLS_RSA_WITH_AES_256_CCM_8");
    cipher(0xC0A2, "TLS_DHE_RSA_WITH_AES_128_CCM_8");
    cipher(0xC0A3, "TLS_DHE_RSA_WITH_AES_256_CCM_8");
    cipher(0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM");
    cipher(0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM");
    cipher(0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8");
    cipher(0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8");
    cipher(0x5600, "TLS_FALLBACK_SCSV");
    cipher(0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
    cipher(0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");
    cipher(0x00A2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256");
    cipher(0x00A3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384");
    cipher(0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256");
    cipher(0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256");
    cipher(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA");
    cipher(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA");
    cipher(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256");
    cipher(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384");
    cipher(0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256");
    cipher(0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256");
    cipher(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA");
    cipher(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA");
    cipher(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
    cipher(0x0005, "TLS_RSA_WITH_RC4_128_SHA");
    cipher(0x0004, "TLS_RSA_WITH_RC4_128_MD5");
    cipher(0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
    cipher(0x5600, "TLS_FALLBACK_SCSV");

    alert(0, "close_notify");
    alert(10, "unexpected_message");
    alert(20, "bad_record_mac");
    alert(22, "record_overflow");
    alert(40, "handshake_failure");
    alert(42, "bad_certificate");
    alert(43, "unsupported_certificate");
    alert(44, "certificate_revoked");
    alert(45, "certificate_expired");
    alert(46, "certificate_unknown");
    alert(47, "illegal_parameter");
    alert(48, "unknown_ca");
    alert(49, "access_denied");
    alert(50, "decode_error");
    alert(51, "decrypt_error");
    alert(70, "protocol_version");
    alert(71, "insufficient_security");
    alert(80, "internal_error");
    alert(86, "inappropriate_fallback");
    alert(90, "user_canceled");
    alert(100, "no_renegotiation");
    alert(109, "missing_extension");
    alert(110, "unsupported_extension");
    alert(112, "unrecognized_name");
    alert(113, "bad_certificate_status_response");
    alert(115, "unknown_psk_identity");
    alert(116, "certificate_required");
    alert(120, "no_application_protocol");

    handshake(0, "hello_request");
    handshake(1, "client_hello");
    handshake(2, "server_hello");
    handshake(3, "hello_verify_request");
    handshake(4, "new_session_ticket");
    handshake(5, "end_of_early_data");
    handshake(8, "encrypted_extensions");
    handshake(11, "certificate");
    handshake(12, "server_key_exchange");
    handshake(13, "certificate_request");
    handshake(14, "server_hello_done");
    handshake(15, "certificate_verify");
    handshake(16, "client_key_exchange");
    handshake(20, "finished");
    handshake(22, "certificate_status");
    handshake(24, "key_update");
    handshake(254, "message_hash");
  }

  private TlsNames() {}

  private static void cipher(int id, String name) {
    CIPHERS.put(id, name);
  }

  private static void alert(int id, String name) {
    ALERTS.put(id, name);
  }

  private static void handshake(int id, String name) {
    HANDSHAKES.put(id, name);
  }

  /**
   * Every cipher suite id with a name here (for tests that check the names against other tables).
   */
  static java.util.Set<Integer> knownCipherSuites() {
    return java.util.Collections.unmodifiableSet(CIPHERS.keySet());
  }

  public static String cipherSuite(int id) {
    String n = CIPHERS.get(id);
    if (n != null) {
      return n;
    }
    // RFC 8701 GREASE values look like 0x?A?A
    if ((id & 0x0F0F) == 0x0A0A && (id >> 8) == (id & 0xFF)) {
      return "GREASE";
    }
    return Hex.code(id, 4);
  }

  public static String version(int v) {
    switch (v) {
      case 0x0300:
        return "SSLv3";
      case 0x0301:
        return "TLSv1.0";
      case 0x0302:
        return "TLSv1.1";
      case 0x0303:
        return "TLSv1.2";
      case 0x0304:
        return "TLSv1.3";
      default:
        return Hex.code(v, 4);
    }
  }

  public static String alertDescription(int d) {
    String n = ALERTS.get(d);
    return n != null ? n : "alert_" + d;
  }

  public static String handshakeType(int t) {
    String n = HANDSHAKES.get(t);
    return n != null ? n : "handshake_" + t;
  }

  public static String contentType(int t) {
    switch (t) {
      case TlsRecordStream.CHANGE_CIPHER_SPEC:
        return "change_cipher_spec";
      case TlsRecordStream.ALERT:
        return "alert";
      case TlsRecordStream.HANDSHAKE:
        return "handshake";
      case TlsRecordStream.APPLICATION_DATA:
        return "application_data";
      default:
        return "content_" + t;
    }
  }
}
