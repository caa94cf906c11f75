package io.tdsagent.tds.response;

import io.tdsagent.tds.login.TdsVersion;
import io.tdsagent.tds.token.Column;
import io.tdsagent.tds.token.CryptoMetadata;
import io.tdsagent.tds.types.TdsDataType;
import io.tdsagent.tds.types.TypeInfo;
import io.tdsagent.tds.types.TypeInfoReader;
import io.tdsagent.tds.types.ValueSkipper;
import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;

/**
 * The metadata parts of the token stream that {@link TokenStreamParser} reads whole: ColumnData
 * with its TableName and CryptoMetaData (MS-TDS 2.2.7.4, shared by COLMETADATA, ALTMETADATA and
 * RETURNVALUE), the CekTable, the value layout each column's rows will have, and DATACLASSIFICATION
 * (2.2.7.5), walked for its length. Stateless: the negotiated options come as arguments.
 */
final class MetadataReader {
  private MetadataReader() {}

  static int valueKind(TypeInfo t) {
    int k = t.valueKind();
    if ((k & 0xFF) == ValueSkipper.K_UNSUPPORTED) {
      throw new DecodeException("no value layout for type " + t.typeName());
    }
    return k;
  }

  /** CekTable: EkValueCount EK_INFOs, skipped (only the count is kept). */
  static int cekTable(ByteReader r) {
    int n = r.u16le();
    for (int i = 0; i < n; i++) {
      r.skip(4 + 4 + 4 + 8); // DatabaseId, CekId, CekVersion, CekMDVersion
      int values = r.u8();
      for (int v = 0; v < values; v++) {
        r.skip(r.u16le()); // EncryptedKey
        r.skip(r.u8() * 2); // KeyStoreName
        r.skip(r.u16le() * 2); // KeyPath
        r.skip(r.u8() * 2); // AsymmetricAlgo
      }
    }
    return n;
  }

  /** ColumnData of COLMETADATA (or ComputeData's common part of ALTMETADATA). */
  static Column column(
      ByteReader r, boolean colMetadata, int tdsVersion, boolean tds72, boolean columnEncryption) {
    long userType = tds72 ? r.u32le() : r.u16le();
    int flags = r.u16le();
    TypeInfo ti = TypeInfoReader.read(r, false);
    if (ti.isPlp() && !tds72) {
      // (max) types and XML came with TDS 7.2; a 7.0/7.1 client cannot read their PLP values
      // (MS-TDS 2.2.5.2.3)
      throw new DecodeException(
          ti.typeName()
              + " sent as PLP, which TDS "
              + TdsVersion.name(tdsVersion)
              + " does not allow");
    }
    String table = null;
    TdsDataType t = ti.type();
    if (t == TdsDataType.TEXT || t == TdsDataType.NTEXT || t == TdsDataType.IMAGE) {
      table = tableName(r, tds72);
    }
    CryptoMetadata crypto = null;
    if (colMetadata && columnEncryption && (flags & Column.FLAG_ENCRYPTED) != 0) {
      crypto = crypto(r, r.u16le(), tds72);
    }
    return new Column(r.bVarchar(), userType, flags, ti, table, crypto);
  }

  static String tableName(ByteReader r, boolean tds72) {
    if (!tds72) {
      return r.usVarchar();
    }
    int parts = r.u8();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts; i++) {
      if (i > 0) {
        sb.append('.');
      }
      sb.append(r.usVarchar());
    }
    return sb.toString();
  }

  static CryptoMetadata crypto(ByteReader r, int ordinal, boolean tds72) {
    r.skip(tds72 ? 4 : 2); // UserType of the plaintext
    TypeInfo base = TypeInfoReader.read(r, false);
    int algo = r.u8();
    String algoName = algo == 0 ? r.bVarchar() : null;
    int algoType = r.u8();
    int norm = r.u8();
    return new CryptoMetadata(ordinal, base, algo, algoName, algoType, norm);
  }

  /** DATACLASSIFICATION (MS-TDS 2.2.7.5): walked for its length only. */
  static void dataClassification(ByteReader r, int dataClassificationVersion) {
    for (int list = 0; list < 2; list++) { // SensitivityLabels, then InformationTypes
      int n = r.u16le();
      for (int i = 0; i < n; i++) {
        r.skip(r.u8() * 2); // name
        r.skip(r.u8() * 2); // id
      }
    }
    boolean ranked = dataClassificationVersion >= 2;
    if (ranked) {
      r.skip(4);
    }
    int columns = r.u16le();
    for (int c = 0; c < columns; c++) {
      int props = r.u16le();
      r.skip(props * (ranked ? 8 : 4));
    }
  }
}
