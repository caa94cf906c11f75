package io.tdsagent.tds.sspi.kerberos;

/**
 * Names for Kerberos numbers: encryption types (RFC 3961/3962/8009, RFC 4757) and error codes (RFC
 * 4120 7.5.9).
 */
final class KerberosNames {
  private KerberosNames() {}

  public static String enctype(int etype) {
    switch (etype) {
      case 1:
        return "des-cbc-crc";
      case 2:
        return "des-cbc-md4";
      case 3:
        return "des-cbc-md5";
      case 5:
        return "des3-cbc-md5";
      case 7:
        return "des3-cbc-sha1";
      case 16:
        return "des3-cbc-sha1-kd";
      case 17:
        return "aes128-cts-hmac-sha1-96";
      case 18:
        return "aes256-cts-hmac-sha1-96";
      case 19:
        return "aes128-cts-hmac-sha256-128";
      case 20:
        return "aes256-cts-hmac-sha384-192";
      case 23:
        return "rc4-hmac";
      case 24:
        return "rc4-hmac-exp";
      case 25:
        return "camellia128-cts-cmac";
      case 26:
        return "camellia256-cts-cmac";
      default:
        return "unknown";
    }
  }

  public static String errorCode(int code) {
    switch (code) {
      case 0:
        return "KDC_ERR_NONE";
      case 1:
        return "KDC_ERR_NAME_EXP";
      case 2:
        return "KDC_ERR_SERVICE_EXP";
      case 3:
        return "KDC_ERR_BAD_PVNO";
      case 4:
        return "KDC_ERR_C_OLD_MAST_KVNO";
      case 5:
        return "KDC_ERR_S_OLD_MAST_KVNO";
      case 6:
        return "KDC_ERR_C_PRINCIPAL_UNKNOWN";
      case 7:
        return "KDC_ERR_S_PRINCIPAL_UNKNOWN";
      case 8:
        return "KDC_ERR_PRINCIPAL_NOT_UNIQUE";
      case 9:
        return "KDC_ERR_NULL_KEY";
      case 10:
        return "KDC_ERR_CANNOT_POSTDATE";
      case 11:
        return "KDC_ERR_NEVER_VALID";
      case 12:
        return "KDC_ERR_POLICY";
      case 13:
        return "KDC_ERR_BADOPTION";
      case 14:
        return "KDC_ERR_ETYPE_NOSUPP";
      case 15:
        return "KDC_ERR_SUMTYPE_NOSUPP";
      case 16:
        return "KDC_ERR_PADATA_TYPE_NOSUPP";
      case 17:
        return "KDC_ERR_TRTYPE_NOSUPP";
      case 18:
        return "KDC_ERR_CLIENT_REVOKED";
      case 19:
        return "KDC_ERR_SERVICE_REVOKED";
      case 20:
        return "KDC_ERR_TGT_REVOKED";
      case 21:
        return "KDC_ERR_CLIENT_NOTYET";
      case 22:
        return "KDC_ERR_SERVICE_NOTYET";
      case 23:
        return "KDC_ERR_KEY_EXPIRED";
      case 24:
        return "KDC_ERR_PREAUTH_FAILED";
      case 25:
        return "KDC_ERR_PREAUTH_REQUIRED";
      case 26:
        return "KDC_ERR_SERVER_NOMATCH";
      case 27:
        return "KDC_ERR_MUST_USE_USER2USER";
      case 28:
        return "KDC_ERR_PATH_NOT_ACCEPTED";
      case 29:
        return "KDC_ERR_SVC_UNAVAILABLE";
      case 31:
        return "KRB_AP_ERR_BAD_INTEGRITY";
      case 32:
        return "KRB_AP_ERR_TKT_EXPIRED";
      case 33:
        return "KRB_AP_ERR_TKT_NYV";
      case 34:
        return "KRB_AP_ERR_REPEAT";
      case 35:
        return "KRB_AP_ERR_NOT_US";
      case 36:
        return "KRB_AP_ERR_BADMATCH";
      case 37:
        return "KRB_AP_ERR_SKEW";
      case 38:
        return "KRB_AP_ERR_BADADDR";
      case 39:
        return "KRB_AP_ERR_BADVERSION";
      case 40:
        return "KRB_AP_ERR_MSG_TYPE";
      case 41:
        return "KRB_AP_ERR_MODIFIED";
      case 42:
        return "KRB_AP_ERR_BADORDER";
      case 44:
        return "KRB_AP_ERR_BADKEYVER";
      case 45:
        return "KRB_AP_ERR_NOKEY";
      case 46:
        return "KRB_AP_ERR_MUT_FAIL";
      case 47:
        return "KRB_AP_ERR_BADDIRECTION";
      case 48:
        return "KRB_AP_ERR_METHOD";
      case 49:
        return "KRB_AP_ERR_BADSEQ";
      case 50:
        return "KRB_AP_ERR_INAPP_CKSUM";
      case 51:
        return "KRB_AP_PATH_NOT_ACCEPTED";
      case 52:
        return "KRB_ERR_RESPONSE_TOO_BIG";
      case 60:
        return "KRB_ERR_GENERIC";
      case 61:
        return "KRB_ERR_FIELD_TOOLONG";
      case 62:
        return "KDC_ERROR_CLIENT_NOT_TRUSTED";
      case 63:
        return "KDC_ERROR_KDC_NOT_TRUSTED";
      case 64:
        return "KDC_ERROR_INVALID_SIG";
      case 65:
        return "KDC_ERR_KEY_TOO_WEAK";
      case 66:
        return "KDC_ERR_CERTIFICATE_MISMATCH";
      case 67:
        return "KRB_AP_ERR_NO_TGT";
      case 68:
        return "KDC_ERR_WRONG_REALM";
      case 69:
        return "KRB_AP_ERR_USER_TO_USER_REQUIRED";
      default:
        return "UNKNOWN";
    }
  }
}
