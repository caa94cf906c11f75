package io.tdsagent.tds.types;

import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;

/** Decodes TYPE_INFO (MS-TDS 2.2.5.6). TVP_TYPE_INFO is left to the RPC decoder. */
public final class TypeInfoReader {
  private TypeInfoReader() {}

  /**
   * @param r positioned at the type byte
   * @param inRpc UDT_INFO differs in RPC requests (no MAX_BYTE_SIZE, no assembly name)
   */
  public static TypeInfo read(ByteReader r, boolean inRpc) {
    int code = r.u8();
    TdsDataType t = TdsDataType.fromCode(code);
    long maxLength = t.fixedLength();
    int precision = TypeInfo.ABSENT;
    int scale = TypeInfo.ABSENT;
    long collation = TypeInfo.ABSENT;
    String xmlSchema = null;
    String udtName = null;
    String udtAssembly = null;
    switch (t.lengthClass()) {
      case FIXED:
        break;
      case BYTELEN:
        if (t == TdsDataType.DATEN) {
          maxLength = 3;
        } else if (t == TdsDataType.TIMEN
            || t == TdsDataType.DATETIME2N
            || t == TdsDataType.DATETIMEOFFSETN) {
          scale = r.u8(); // TDS 7.3: SCALE only, the length follows from it
          maxLength = timeLength(t, scale);
        } else {
          maxLength = r.u8();
          if (t == TdsDataType.DECIMAL
              || t == TdsDataType.DECIMALN
              || t == TdsDataType.NUMERIC
              || t == TdsDataType.NUMERICN) {
            precision = r.u8();
            scale = r.u8();
          }
        }
        break;
      case USHORTLEN:
        maxLength = r.u16le();
        if (t.hasCollation()) {
          collation = collation(r);
        }
        if (t == TdsDataType.VECTOR) {
          scale = r.u8(); // dimension type
        }
        break;
      case LONGLEN:
        maxLength = r.u32le();
        if (t.hasCollation()) {
          collation = collation(r);
        }
        break;
      case PLP:
        maxLength = 0xFFFF;
        if (t == TdsDataType.XML) {
          if (r.u8() != 0) {
            xmlSchema = r.bVarchar() + "." + r.bVarchar() + "." + r.usVarchar();
          }
        } else if (t == TdsDataType.UDT) {
          if (!inRpc) {
            maxLength = r.u16le();
          }
          udtName = r.bVarchar() + "." + r.bVarchar() + "." + r.bVarchar();
          if (!inRpc) {
            udtAssembly = r.usVarchar();
          }
        }
        break;
      default:
        throw new DecodeException("TYPE_INFO with unknown type 0x" + Integer.toHexString(code));
    }
    return new TypeInfo(
        t, code, maxLength, precision, scale, collation, xmlSchema, udtName, udtAssembly);
  }

  private static long collation(ByteReader r) {
    long lo = r.u32le();
    return lo | (long) r.u8() << 32;
  }

  /** Value size of time(n), datetime2(n), datetimeoffset(n) (MS-TDS 2.2.5.4.3). */
  static int timeLength(TdsDataType t, int scale) {
    int time = scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
    if (t == TdsDataType.TIMEN) {
      return time;
    }
    return t == TdsDataType.DATETIME2N ? time + 3 : time + 5;
  }
}
