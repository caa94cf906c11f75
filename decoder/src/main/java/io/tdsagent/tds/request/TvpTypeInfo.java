package io.tdsagent.tds.request;

import io.tdsagent.tds.types.TypeInfo;
import io.tdsagent.tds.types.TypeInfoReader;
import io.tdsagent.tds.types.ValueSkipper;
import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;
import java.util.Arrays;

/**
 * TVP_TYPE_INFO (MS-TDS 2.2.5.5.5.1), the metadata of a table-valued parameter up to the
 * TVP_END_TOKEN that closes it: what a row's values need to be stepped over.
 */
final class TvpTypeInfo {
  private static final int TVP_FLAG_DEFAULT = 0x0200;
  private static final int TVP_NULL_TOKEN = 0xFFFF;
  private static final int TVP_ORDER_UNIQUE_TOKEN = 0x10;
  private static final int TVP_COLUMN_ORDERING_TOKEN = 0x11;

  /** The table type's name, schema-qualified when the schema was sent. */
  final String typeName;

  /** {@link ValueSkipper} kinds of the columns a row carries (fDefault columns are not sent). */
  final int[] rowColumnKinds;

  private TvpTypeInfo(String typeName, int[] rowColumnKinds) {
    this.typeName = typeName;
    this.rowColumnKinds = rowColumnKinds;
  }

  /** Reads from the TVP type byte on (the caller has seen it). */
  static TvpTypeInfo read(ByteReader r) {
    r.u8(); // TVPTYPE
    r.skip(r.u8() * 2); // DbName
    String schema = r.bVarchar();
    String typeName = r.bVarchar();
    int count = r.u16le();
    int[] layout;
    if (count == TVP_NULL_TOKEN) {
      layout = new int[0];
    } else {
      int[] all = new int[count];
      int n = 0;
      for (int i = 0; i < count; i++) {
        r.skip(4); // UserType
        int flags = r.u16le();
        TypeInfo ti = TypeInfoReader.read(r, true);
        r.skip(r.u8() * 2); // ColName
        int kind = ValueSkipper.withoutTextPointer(ti.valueKind());
        if ((kind & 0xFF) == ValueSkipper.K_UNSUPPORTED) {
          throw new DecodeException("TVP column of type " + ti.typeName());
        }
        if ((flags & TVP_FLAG_DEFAULT) == 0) {
          all[n++] = kind;
        }
      }
      layout = Arrays.copyOf(all, n);
    }
    while (true) {
      int token = r.u8();
      if (token == 0) {
        break; // TVP_END_TOKEN
      } else if (token == TVP_ORDER_UNIQUE_TOKEN) {
        r.skip(r.u16le() * 3);
      } else if (token == TVP_COLUMN_ORDERING_TOKEN) {
        r.skip(r.u16le() * 2);
      } else {
        throw new DecodeException("TVP metadata token 0x" + Integer.toHexString(token));
      }
    }
    return new TvpTypeInfo(schema.isEmpty() ? typeName : schema + "." + typeName, layout);
  }
}
