package io.tdsagent.lab.sql;

import io.tdsagent.lab.token.Collation;
import io.tdsagent.lab.wire.TdsBuffer;
import io.tdsagent.lab.wire.TdsCursor;
import io.tdsagent.lab.wire.TdsProtocolException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * TYPE_INFO and values of the lab's types, both ways: the server writes them in COLMETADATA,
 * ROW/NBCROW and RETURNVALUE, and reads them from RPC parameters (MS-TDS 2.2.5.4 to 2.2.5.6).
 */
public final class ValueCodec {
  /** Code page of the lab's collation (SQL_Latin1_General_CP1_CI_AS). */
  public static final Charset CP1252 = Charset.forName("windows-1252");

  // Fixed-length types (non-nullable columns, as SQL Server sends them).
  static final int INT1 = 0x30,
      BIT = 0x32,
      INT2 = 0x34,
      INT4 = 0x38,
      DATETIM4 = 0x3A,
      FLT4 = 0x3B,
      MONEY = 0x3C,
      DATETIME = 0x3D,
      FLT8 = 0x3E,
      MONEY4 = 0x7A,
      INT8 = 0x7F;
  // Variable-length types.
  static final int GUID = 0x24,
      INTN = 0x26,
      DECIMAL = 0x37,
      NUMERIC = 0x3F,
      BITN = 0x68,
      DECIMALN = 0x6A,
      NUMERICN = 0x6C,
      FLTN = 0x6D,
      MONEYN = 0x6E,
      DATETIMN = 0x6F,
      DATEN = 0x28,
      TIMEN = 0x29,
      DATETIME2N = 0x2A,
      DATETIMEOFFSETN = 0x2B,
      BIGVARBINARY = 0xA5,
      BIGVARCHAR = 0xA7,
      BIGBINARY = 0xAD,
      BIGCHAR = 0xAF,
      NVARCHAR = 0xE7,
      NCHAR = 0xEF,
      XML = 0xF1,
      SSVARIANT = 0x62,
      TEXT = 0x23,
      IMAGE = 0x22,
      NTEXT = 0x63;

  static final long PLP_NULL = -1L;
  static final int PLP_CHUNK = 8000;
  private static final LocalDate DAY_ONE = LocalDate.of(1, 1, 1);
  private static final LocalDate DATETIME_EPOCH = LocalDate.of(1900, 1, 1);
  private static final long[] POW10 = new long[19];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private ValueCodec() {}

  // ------------------------------------------------------------------------------------------------ TYPE_INFO

  /**
   * Writes TYPE_INFO. Non-nullable integer, bit, float, money and datetime columns use the fixed
   * types.
   */
  public static void writeTypeInfo(Column c, TdsBuffer out) {
    boolean fixed = !c.nullable();
    switch (c.type()) {
      case TINYINT:
        fixedOrN(out, fixed, INT1, INTN, 1);
        break;
      case SMALLINT:
        fixedOrN(out, fixed, INT2, INTN, 2);
        break;
      case INT:
        fixedOrN(out, fixed, INT4, INTN, 4);
        break;
      case BIGINT:
        fixedOrN(out, fixed, INT8, INTN, 8);
        break;
      case BIT:
        fixedOrN(out, fixed, BIT, BITN, 1);
        break;
      case REAL:
        fixedOrN(out, fixed, FLT4, FLTN, 4);
        break;
      case FLOAT:
        fixedOrN(out, fixed, FLT8, FLTN, 8);
        break;
      case MONEY:
        fixedOrN(out, fixed, MONEY, MONEYN, 8);
        break;
      case SMALLMONEY:
        fixedOrN(out, fixed, MONEY4, MONEYN, 4);
        break;
      case DATETIME:
        fixedOrN(out, fixed, DATETIME, DATETIMN, 8);
        break;
      case SMALLDATETIME:
        fixedOrN(out, fixed, DATETIM4, DATETIMN, 4);
        break;
      case DECIMAL:
        out.byte1(DECIMALN)
            .byte1(decimalLength(c.precision()))
            .byte1(c.precision())
            .byte1(c.scale());
        break;
      case DATE:
        out.byte1(DATEN);
        break;
      case TIME:
        out.byte1(TIMEN).byte1(c.scale());
        break;
      case DATETIME2:
        out.byte1(DATETIME2N).byte1(c.scale());
        break;
      case DATETIMEOFFSET:
        out.byte1(DATETIMEOFFSETN).byte1(c.scale());
        break;
      case UNIQUEIDENTIFIER:
        out.byte1(GUID).byte1(16);
        break;
      case CHAR:
        out.byte1(BIGCHAR).uint16(c.maxLength()).bytes(Collation.SQL_LATIN1_GENERAL_CP1_CI_AS);
        break;
      case VARCHAR:
        out.byte1(BIGVARCHAR)
            .uint16(c.maxLength() == 0 ? 0xFFFF : c.maxLength())
            .bytes(Collation.SQL_LATIN1_GENERAL_CP1_CI_AS);
        break;
      case NCHAR:
        out.byte1(NCHAR).uint16(2 * c.maxLength()).bytes(Collation.SQL_LATIN1_GENERAL_CP1_CI_AS);
        break;
      case NVARCHAR:
        out.byte1(NVARCHAR)
            .uint16(c.maxLength() == 0 ? 0xFFFF : 2 * c.maxLength())
            .bytes(Collation.SQL_LATIN1_GENERAL_CP1_CI_AS);
        break;
      case BINARY:
        out.byte1(BIGBINARY).uint16(c.maxLength());
        break;
      case VARBINARY:
        out.byte1(BIGVARBINARY).uint16(c.maxLength() == 0 ? 0xFFFF : c.maxLength());
        break;
      case XML:
        out.byte1(XML).byte1(0);
        break; // no schema
      case SQL_VARIANT:
        out.byte1(SSVARIANT).int32(8016);
        break;
      case TEXT:
        out.byte1(TEXT).int32(0x7FFFFFFF).bytes(Collation.SQL_LATIN1_GENERAL_CP1_CI_AS);
        out.uint16(0); // TableName, a US_VARCHAR before TDS 7.2: these types are sent only there
        break;
      case NTEXT:
        out.byte1(NTEXT).int32(0x7FFFFFFE).bytes(Collation.SQL_LATIN1_GENERAL_CP1_CI_AS);
        out.uint16(0);
        break;
      case IMAGE:
        out.byte1(IMAGE).int32(0x7FFFFFFF).uint16(0);
        break;
      default:
        throw new IllegalStateException(c.type().toString());
    }
  }

  /**
   * A text pointer and timestamp of a TEXT/NTEXT/IMAGE value: the lab's values are not updatable.
   */
  private static final byte[] TEXT_POINTER = new byte[16];

  private static final byte[] TEXT_TIMESTAMP = new byte[8];

  /** TEXT/NTEXT/IMAGE value: TextPointer (B_VARBYTE), Timestamp (8 bytes), then a LONGLEN value. */
  private static void writeTextValue(TdsBuffer b, byte[] data) {
    b.byte1(TEXT_POINTER.length).bytes(TEXT_POINTER).bytes(TEXT_TIMESTAMP).int32(data.length);
    b.bytes(data);
  }

  private static void fixedOrN(TdsBuffer out, boolean fixed, int fixedType, int nType, int len) {
    if (fixed) {
      out.byte1(fixedType);
    } else {
      out.byte1(nType).byte1(len);
    }
  }

  static int decimalLength(int precision) {
    return precision <= 9 ? 5 : precision <= 19 ? 9 : precision <= 28 ? 13 : 17;
  }

  static int timeLength(int scale) {
    return scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
  }

  /** Bytes a NULL takes inside a ROW (an NBCROW takes none). */
  static int inlineNullSize(Column c) {
    if (c.isPlp()) {
      return 8;
    }
    if (c.type() == SqlType.SQL_VARIANT) {
      return 4;
    }
    switch (c.type()) {
      case CHAR:
      case VARCHAR:
      case NCHAR:
      case NVARCHAR:
      case BINARY:
      case VARBINARY:
        return 2;
      default:
        return 1;
    }
  }

  // ------------------------------------------------------------------------------------------------ writing

  /** Writes one value (NULL included) as the column's TYPE_INFO announced it. */
  public static void writeValue(Column c, Object v, TokenOutput out) throws IOException {
    TdsBuffer b = out.buffer();
    if (v == null) {
      if (!c.nullable()) {
        throw new IllegalArgumentException("NULL in NOT NULL column " + c);
      }
      if (c.isPlp()) {
        b.int64(PLP_NULL);
      } else if (c.type() == SqlType.SQL_VARIANT) {
        b.int32(0);
      } else if (inlineNullSize(c) == 2) {
        b.uint16(0xFFFF);
      } else {
        b.byte1(0);
      }
      return;
    }
    boolean n = c.nullable(); // N types carry a length byte
    switch (c.type()) {
      case TINYINT:
        len(b, n, 1).byte1(((Number) v).intValue());
        break;
      case SMALLINT:
        len(b, n, 2).uint16(((Number) v).intValue());
        break;
      case INT:
        len(b, n, 4).int32(((Number) v).intValue());
        break;
      case BIGINT:
        len(b, n, 8).int64(((Number) v).longValue());
        break;
      case BIT:
        len(b, n, 1).byte1(((Boolean) v) ? 1 : 0);
        break;
      case REAL:
        len(b, n, 4).int32(Float.floatToIntBits(((Number) v).floatValue()));
        break;
      case FLOAT:
        len(b, n, 8).int64(Double.doubleToLongBits(((Number) v).doubleValue()));
        break;
      case MONEY:
        {
          long units = money(v);
          len(b, n, 8).int32((int) (units >>> 32)).int32((int) units);
          break;
        }
      case SMALLMONEY:
        len(b, n, 4).int32((int) money(v));
        break;
      case DATETIME:
        {
          LocalDateTime t = (LocalDateTime) v;
          long ticks = Math.round(t.toLocalTime().toNanoOfDay() * 300.0 / 1_000_000_000L);
          long days = t.toLocalDate().toEpochDay() - DATETIME_EPOCH.toEpochDay();
          if (ticks >= 300L * 86400) {
            ticks -= 300L * 86400;
            days++;
          }
          len(b, n, 8).int32((int) days).int32((int) ticks);
          break;
        }
      case SMALLDATETIME:
        {
          LocalDateTime t = (LocalDateTime) v;
          int days = (int) (t.toLocalDate().toEpochDay() - DATETIME_EPOCH.toEpochDay());
          len(b, n, 4).uint16(days).uint16(t.getHour() * 60 + t.getMinute());
          break;
        }
      case DECIMAL:
        writeDecimal(b, c, (BigDecimal) v);
        break;
      case DATE:
        b.byte1(3);
        days(b, (LocalDate) v);
        break;
      case TIME:
        b.byte1(timeLength(c.scale()));
        time(b, (LocalTime) v, c.scale());
        break;
      case DATETIME2:
        {
          LocalDateTime t = (LocalDateTime) v;
          b.byte1(timeLength(c.scale()) + 3);
          time(b, t.toLocalTime(), c.scale());
          days(b, t.toLocalDate());
          break;
        }
      case DATETIMEOFFSET:
        {
          OffsetDateTime t = (OffsetDateTime) v;
          LocalDateTime utc = t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
          b.byte1(timeLength(c.scale()) + 5);
          time(b, utc.toLocalTime(), c.scale());
          days(b, utc.toLocalDate());
          b.uint16(t.getOffset().getTotalSeconds() / 60);
          break;
        }
      case UNIQUEIDENTIFIER:
        b.byte1(16).bytes(guidBytes((UUID) v));
        break;
      case CHAR:
      case VARCHAR:
      case NCHAR:
      case NVARCHAR:
        {
          boolean unicode = c.type() == SqlType.NCHAR || c.type() == SqlType.NVARCHAR;
          String s = v.toString();
          if (c.type() == SqlType.CHAR || c.type() == SqlType.NCHAR) {
            s = pad(s, c.maxLength());
          }
          if (c.isPlp()) {
            writePlp(unicode ? s.getBytes(StandardCharsets.UTF_16LE) : s.getBytes(CP1252), out);
          } else if (unicode) {
            if (s.length() > c.maxLength()) {
              throw new IllegalArgumentException("value longer than " + c.typeName());
            }
            b.uint16(2 * s.length()).utf16Chars(s);
          } else {
            byte[] bytes = s.getBytes(CP1252);
            if (bytes.length > c.maxLength()) {
              throw new IllegalArgumentException("value longer than " + c.typeName());
            }
            b.uint16(bytes.length).bytes(bytes);
          }
          break;
        }
      case BINARY:
      case VARBINARY:
        {
          byte[] bytes = (byte[]) v;
          if (c.type() == SqlType.BINARY && bytes.length < c.maxLength()) {
            bytes = java.util.Arrays.copyOf(bytes, c.maxLength()); // binary(n) pads with zeros
          }
          if (c.isPlp()) {
            writePlp(bytes, out);
          } else {
            if (bytes.length > c.maxLength()) {
              throw new IllegalArgumentException("value longer than " + c.typeName());
            }
            b.uint16(bytes.length).bytes(bytes);
          }
          break;
        }
      case XML:
        writePlp(v.toString().getBytes(StandardCharsets.UTF_16LE), out);
        break;
      case SQL_VARIANT:
        writeVariant(b, v);
        break;
      case TEXT:
        writeTextValue(b, v.toString().getBytes(CP1252));
        break;
      case NTEXT:
        writeTextValue(b, v.toString().getBytes(StandardCharsets.UTF_16LE));
        break;
      case IMAGE:
        writeTextValue(b, (byte[]) v);
        break;
      default:
        throw new IllegalStateException(c.type().toString());
    }
  }

  private static TdsBuffer len(TdsBuffer b, boolean n, int len) {
    return n ? b.byte1(len) : b;
  }

  private static long money(Object v) {
    BigDecimal d =
        v instanceof BigDecimal ? (BigDecimal) v : BigDecimal.valueOf(((Number) v).doubleValue());
    return d.setScale(4, RoundingMode.HALF_UP).unscaledValue().longValueExact();
  }

  private static String pad(String s, int len) {
    if (s.length() >= len) {
      return s;
    }
    StringBuilder sb = new StringBuilder(len).append(s);
    while (sb.length() < len) {
      sb.append(' ');
    }
    return sb.toString();
  }

  private static void writeDecimal(TdsBuffer b, Column c, BigDecimal v) {
    int len = decimalLength(c.precision());
    BigDecimal scaled = v.scale() == c.scale() ? v : v.setScale(c.scale(), RoundingMode.HALF_UP);
    if (c.precision() <= 18 && scaled.precision() <= 18) { // fast path: the magnitude fits a long
      long u = scaled.unscaledValue().longValue();
      long abs = Math.abs(u);
      if (abs >= POW10[c.precision()]) {
        throw new IllegalArgumentException(v + " does not fit " + c.typeName());
      }
      b.byte1(len).byte1(u < 0 ? 0 : 1);
      for (int i = 0; i < len - 1; i++) {
        b.byte1((int) (i < 8 ? abs >>> (8 * i) : 0));
      }
      return;
    }
    BigInteger unscaled = scaled.unscaledValue();
    if (unscaled.abs().compareTo(BigInteger.TEN.pow(c.precision())) >= 0) {
      throw new IllegalArgumentException(v + " does not fit " + c.typeName());
    }
    b.byte1(len).byte1(unscaled.signum() < 0 ? 0 : 1);
    byte[] be = unscaled.abs().toByteArray(); // big-endian, maybe with a leading zero byte
    for (int i = 0; i < len - 1; i++) {
      int idx = be.length - 1 - i;
      b.byte1(idx >= 0 ? be[idx] : 0);
    }
  }

  private static void days(TdsBuffer b, LocalDate d) {
    int days = (int) (d.toEpochDay() - DAY_ONE.toEpochDay());
    b.byte1(days).byte1(days >>> 8).byte1(days >>> 16);
  }

  private static void time(TdsBuffer b, LocalTime t, int scale) {
    long units = t.toNanoOfDay() / POW10[9 - scale];
    int len = timeLength(scale);
    for (int i = 0; i < len; i++) {
      b.byte1((int) (units >>> (8 * i)));
    }
  }

  /** GUID bytes: the first three groups little-endian, the rest as written. */
  static byte[] guidBytes(UUID u) {
    byte[] r = new byte[16];
    long msb = u.getMostSignificantBits();
    long lsb = u.getLeastSignificantBits();
    for (int i = 0; i < 8; i++) {
      r[i] = (byte) (msb >>> (56 - 8 * i));
      r[8 + i] = (byte) (lsb >>> (56 - 8 * i));
    }
    swap(r, 0, 3);
    swap(r, 1, 2);
    swap(r, 4, 5);
    swap(r, 6, 7);
    return r;
  }

  private static void swap(byte[] a, int i, int j) {
    byte t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  static UUID guid(byte[] r) {
    byte[] b = r.clone();
    swap(b, 0, 3);
    swap(b, 1, 2);
    swap(b, 4, 5);
    swap(b, 6, 7);
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (b[i] & 0xFF);
      lsb = (lsb << 8) | (b[8 + i] & 0xFF);
    }
    return new UUID(msb, lsb);
  }

  /**
   * PLP: total length, chunks of at most 8000 bytes, a zero-length terminator; spills between
   * chunks.
   */
  private static void writePlp(byte[] data, TokenOutput out) throws IOException {
    TdsBuffer b = out.buffer();
    b.int64(data.length);
    int pos = 0;
    while (pos < data.length) {
      int n = Math.min(PLP_CHUNK, data.length - pos);
      b.int32(n).bytes(data, pos, n);
      pos += n;
      out.spill();
    }
    b.int32(0);
  }

  /** sql_variant with an int, bigint or nvarchar(4000) base type (MS-TDS 2.2.5.5.4). */
  private static void writeVariant(TdsBuffer b, Object v) {
    if (v instanceof Integer) {
      b.int32(2 + 4).byte1(INT4).byte1(0).int32((Integer) v);
    } else if (v instanceof Long) {
      b.int32(2 + 8).byte1(INT8).byte1(0).int64((Long) v);
    } else {
      String s = v.toString();
      b.int32(2 + 7 + 2 * s.length())
          .byte1(NVARCHAR)
          .byte1(7)
          .bytes(Collation.SQL_LATIN1_GENERAL_CP1_CI_AS)
          .uint16(8000)
          .utf16Chars(s);
    }
  }

  // ------------------------------------------------------------------------------------------------ reading

  /** Reads an RPC parameter's TYPE_INFO as a column (named {@code name}). */
  public static Column readTypeInfo(String name, TdsCursor in) throws TdsProtocolException {
    int t = in.uint8();
    switch (t) {
      case INT1:
        return Column.of(name, SqlType.TINYINT).nullable(false);
      case INT2:
        return Column.of(name, SqlType.SMALLINT).nullable(false);
      case INT4:
        return Column.of(name, SqlType.INT).nullable(false);
      case INT8:
        return Column.of(name, SqlType.BIGINT).nullable(false);
      case BIT:
        return Column.of(name, SqlType.BIT).nullable(false);
      case FLT4:
        return Column.of(name, SqlType.REAL).nullable(false);
      case FLT8:
        return Column.of(name, SqlType.FLOAT).nullable(false);
      case MONEY:
        return Column.of(name, SqlType.MONEY).nullable(false);
      case MONEY4:
        return Column.of(name, SqlType.SMALLMONEY).nullable(false);
      case DATETIME:
        return Column.of(name, SqlType.DATETIME).nullable(false);
      case DATETIM4:
        return Column.of(name, SqlType.SMALLDATETIME).nullable(false);
      case INTN:
        {
          int len = in.uint8();
          return Column.of(
              name,
              len == 1
                  ? SqlType.TINYINT
                  : len == 2 ? SqlType.SMALLINT : len == 4 ? SqlType.INT : SqlType.BIGINT);
        }
      case BITN:
        in.uint8();
        return Column.of(name, SqlType.BIT);
      case FLTN:
        return Column.of(name, in.uint8() == 4 ? SqlType.REAL : SqlType.FLOAT);
      case MONEYN:
        return Column.of(name, in.uint8() == 4 ? SqlType.SMALLMONEY : SqlType.MONEY);
      case DATETIMN:
        return Column.of(name, in.uint8() == 4 ? SqlType.SMALLDATETIME : SqlType.DATETIME);
      case DECIMAL:
      case NUMERIC:
      case DECIMALN:
      case NUMERICN:
        {
          in.uint8(); // length
          int precision = in.uint8();
          return Column.decimal(name, precision, in.uint8());
        }
      case DATEN:
        return Column.of(name, SqlType.DATE);
      case TIMEN:
        return Column.time(name, SqlType.TIME, in.uint8());
      case DATETIME2N:
        return Column.time(name, SqlType.DATETIME2, in.uint8());
      case DATETIMEOFFSETN:
        return Column.time(name, SqlType.DATETIMEOFFSET, in.uint8());
      case GUID:
        in.uint8();
        return Column.of(name, SqlType.UNIQUEIDENTIFIER);
      case BIGCHAR:
      case BIGVARCHAR:
      case NCHAR:
      case NVARCHAR:
        {
          int max = in.uint16();
          in.skip(5); // collation
          boolean unicode = t == NCHAR || t == NVARCHAR;
          SqlType type =
              t == BIGCHAR
                  ? SqlType.CHAR
                  : t == BIGVARCHAR
                      ? SqlType.VARCHAR
                      : t == NCHAR ? SqlType.NCHAR : SqlType.NVARCHAR;
          int len = max == 0xFFFF ? 0 : unicode ? max / 2 : max;
          return Column.of(
              name, type, Math.max(len, type == SqlType.CHAR || type == SqlType.NCHAR ? 1 : 0));
        }
      case BIGBINARY:
      case BIGVARBINARY:
        {
          int max = in.uint16();
          return Column.of(
              name,
              t == BIGBINARY ? SqlType.BINARY : SqlType.VARBINARY,
              max == 0xFFFF ? 0 : Math.max(max, t == BIGBINARY ? 1 : 0));
        }
      case XML:
        {
          if (in.uint8()
              != 0) { // schema present: DbName, OwningSchema (B_VARCHAR), collection (US_VARCHAR)
            in.skip(2 * in.uint8());
            in.skip(2 * in.uint8());
            in.skip(2 * in.uint16());
          }
          return Column.of(name, SqlType.XML);
        }
      default:
        throw new TdsProtocolException(
            String.format("RPC parameter type 0x%02X is not supported by the lab", t));
    }
  }

  /**
   * TEXT, NTEXT, IMAGE: LONGLEN types, sent by older clients (FreeTDS sends a prepared statement's
   * text so).
   */
  public static boolean isLongLen(int typeByte) {
    return typeByte == TEXT || typeByte == NTEXT || typeByte == IMAGE;
  }

  /**
   * An RPC parameter of a LONGLEN type, TYPE_INFO and value: the value is TYPE_VARBYTE, a 4-byte
   * length (or CHARBIN_NULL) and the bytes, with no TextPointer/Timestamp, which only ROW data
   * carries (MS-TDS 2.2.5.2.3). Bound as varchar(max), nvarchar(max) or varbinary(max).
   */
  public static Object[] readLongLenParameter(String name, TdsCursor in)
      throws TdsProtocolException {
    int t = in.uint8();
    in.int32(); // maximal length
    if (t != IMAGE) {
      in.skip(5); // collation
    }
    int len = in.int32();
    Object value = null;
    if (len != -1) {
      if (len < 0 || len > in.remaining()) {
        throw new TdsProtocolException("LONGLEN value of " + (len & 0xFFFFFFFFL) + " bytes");
      }
      byte[] data = in.bytes(len);
      value = t == IMAGE ? data : new String(data, t == NTEXT ? StandardCharsets.UTF_16LE : CP1252);
    }
    Column c =
        Column.of(
            name,
            t == IMAGE ? SqlType.VARBINARY : t == NTEXT ? SqlType.NVARCHAR : SqlType.VARCHAR,
            0);
    return new Object[] {c, value};
  }

  /**
   * Reads the value of an RPC parameter whose TYPE_INFO {@link #readTypeInfo} returned as {@code
   * c}.
   */
  public static Object readValue(Column c, TdsCursor in) throws TdsProtocolException {
    if (c.isPlp()) {
      byte[] data = readPlp(in);
      if (data == null) {
        return null;
      }
      return c.type() == SqlType.VARBINARY
          ? data
          : new String(data, c.type() == SqlType.VARCHAR ? CP1252 : StandardCharsets.UTF_16LE);
    }
    int len;
    boolean n = c.nullable();
    switch (c.type()) {
      case TINYINT:
      case SMALLINT:
      case INT:
      case BIGINT:
        {
          len = n ? in.uint8() : fixedSize(c.type());
          switch (len) {
            case 0:
              return null;
            case 1:
              return in.uint8();
            case 2:
              return (int) (short) in.uint16();
            case 4:
              return in.int32();
            case 8:
              return in.int64();
            default:
              throw new TdsProtocolException("integer of " + len + " bytes");
          }
        }
      case BIT:
        len = n ? in.uint8() : 1;
        return len == 0 ? null : in.uint8() != 0;
      case REAL:
      case FLOAT:
        len = n ? in.uint8() : c.type() == SqlType.REAL ? 4 : 8;
        return len == 0
            ? null
            : len == 4
                ? (Object) Float.intBitsToFloat(in.int32())
                : (Object) Double.longBitsToDouble(in.int64());
      case MONEY:
      case SMALLMONEY:
        {
          len = n ? in.uint8() : c.type() == SqlType.SMALLMONEY ? 4 : 8;
          if (len == 0) {
            return null;
          }
          long units =
              len == 4 ? in.int32() : (((long) in.int32()) << 32) | (in.int32() & 0xFFFFFFFFL);
          return BigDecimal.valueOf(units, 4);
        }
      case DATETIME:
      case SMALLDATETIME:
        {
          len = n ? in.uint8() : c.type() == SqlType.SMALLDATETIME ? 4 : 8;
          if (len == 0) {
            return null;
          }
          if (len == 4) {
            int days = in.uint16();
            int minutes = in.uint16();
            return DATETIME_EPOCH.plusDays(days).atStartOfDay().plusMinutes(minutes);
          }
          int days = in.int32();
          long ticks = in.int32() & 0xFFFFFFFFL;
          long nanos = Math.round(ticks * 1_000_000_000.0 / 300 / 1_000_000) * 1_000_000L;
          return DATETIME_EPOCH.plusDays(days).atStartOfDay().plusNanos(nanos);
        }
      case DECIMAL:
        {
          len = in.uint8();
          if (len == 0) {
            return null;
          }
          int sign = in.uint8();
          byte[] le = in.bytes(len - 1);
          byte[] be = new byte[le.length + 1];
          for (int i = 0; i < le.length; i++) {
            be[be.length - 1 - i] = le[i];
          }
          BigInteger mag = new BigInteger(be);
          return new BigDecimal(sign == 0 ? mag.negate() : mag, c.scale());
        }
      case DATE:
        len = in.uint8();
        return len == 0 ? null : readDate(in);
      case TIME:
        len = in.uint8();
        return len == 0 ? null : readTime(in, c.scale());
      case DATETIME2:
        {
          len = in.uint8();
          if (len == 0) {
            return null;
          }
          LocalTime t = readTime(in, c.scale());
          return LocalDateTime.of(readDate(in), t);
        }
      case DATETIMEOFFSET:
        {
          len = in.uint8();
          if (len == 0) {
            return null;
          }
          LocalTime t = readTime(in, c.scale());
          LocalDate d = readDate(in);
          int offsetMinutes = (short) in.uint16();
          return OffsetDateTime.of(LocalDateTime.of(d, t), ZoneOffset.UTC)
              .withOffsetSameInstant(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
        }
      case UNIQUEIDENTIFIER:
        len = in.uint8();
        return len == 0 ? null : guid(in.bytes(16));
      case CHAR:
      case VARCHAR:
      case NCHAR:
      case NVARCHAR:
        {
          len = in.uint16();
          if (len == 0xFFFF) {
            return null;
          }
          boolean unicode = c.type() == SqlType.NCHAR || c.type() == SqlType.NVARCHAR;
          return new String(in.bytes(len), unicode ? StandardCharsets.UTF_16LE : CP1252);
        }
      case BINARY:
      case VARBINARY:
        len = in.uint16();
        return len == 0xFFFF ? null : in.bytes(len);
      default:
        throw new TdsProtocolException("cannot read a " + c.typeName() + " parameter");
    }
  }

  private static int fixedSize(SqlType t) {
    switch (t) {
      case TINYINT:
        return 1;
      case SMALLINT:
        return 2;
      case INT:
        return 4;
      default:
        return 8;
    }
  }

  private static LocalDate readDate(TdsCursor in) throws TdsProtocolException {
    int days = in.uint8() | (in.uint8() << 8) | (in.uint8() << 16);
    return DAY_ONE.plusDays(days);
  }

  private static LocalTime readTime(TdsCursor in, int scale) throws TdsProtocolException {
    int len = timeLength(scale);
    long units = 0;
    for (int i = 0; i < len; i++) {
      units |= ((long) in.uint8()) << (8 * i);
    }
    return LocalTime.ofNanoOfDay(units * POW10[9 - scale]);
  }

  /** PLP body: ULONGLONG length (all ones: NULL), then chunks up to a zero-length terminator. */
  private static byte[] readPlp(TdsCursor in) throws TdsProtocolException {
    long total = in.int64();
    if (total == PLP_NULL) {
      return null;
    }
    java.io.ByteArrayOutputStream data =
        new java.io.ByteArrayOutputStream(total >= 0 && total < (1 << 24) ? (int) total : 1024);
    while (true) {
      int chunk = in.int32();
      if (chunk == 0) {
        return data.toByteArray();
      }
      if (chunk < 0) {
        throw new TdsProtocolException("PLP chunk of " + (chunk & 0xFFFFFFFFL) + " bytes");
      }
      byte[] b = in.bytes(chunk);
      data.write(b, 0, b.length);
    }
  }
}
