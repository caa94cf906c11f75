package io.tdsagent.tds.response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.token.AltMetadata;
import io.tdsagent.tds.token.ColMetadata;
import io.tdsagent.tds.token.Column;
import io.tdsagent.tds.token.Done;
import io.tdsagent.tds.token.ReturnStatus;
import io.tdsagent.tds.token.ReturnValue;
import io.tdsagent.tds.token.Token;
import io.tdsagent.tds.types.TdsDataType;
import io.tdsagent.testutil.TdsBytes;
import io.tdsagent.testutil.TdsBytes.Out;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Hand-built token streams per MS-TDS 2.2.7, fed whole and cut at every byte. */
class TokenStreamParserTest {
  static final byte[] COLLATION = {0x09, 0x04, (byte) 0xD0, 0x00, 0x34};

  /** Records what the parser reports, as strings. */
  static final class Rec implements TokenHandler {
    final List<String> out = new ArrayList<>();
    final List<Token> tokens = new ArrayList<>();
    int errors;

    @Override
    public void onToken(Token token) {
      tokens.add(token);
      out.add(token.toString());
    }

    @Override
    public void onRow(int tokenType) {
      out.add("row:" + Integer.toHexString(tokenType));
    }

    @Override
    public void onError(String reason) {
      errors++;
      out.add("error:" + reason);
    }
  }

  static Rec parse(byte[] stream, int... cuts) {
    return parse(stream, false, cuts);
  }

  static Rec parse(byte[] stream, boolean encryption, int... cuts) {
    Rec rec = new Rec();
    TokenStreamParser p =
        new TokenStreamParser(rec, 64 * 1024).tdsVersion(0x74000004).columnEncryption(encryption);
    int at = 0;
    for (int cut : cuts) {
      p.feed(stream, at, cut - at);
      at = cut;
    }
    p.feed(stream, at, stream.length - at);
    p.endOfMessage();
    return rec;
  }

  /** Same events whether fed whole, cut once at every position, or byte by byte. */
  static Rec parseEverySplit(byte[] stream, boolean encryption) {
    Rec whole = parse(stream, encryption);
    assertEquals(0, whole.errors, whole.out.toString());
    for (int s = 0; s <= stream.length; s++) {
      assertEquals(whole.out, parse(stream, encryption, s).out, "cut at " + s);
    }
    int[] all = new int[stream.length];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    assertEquals(whole.out, parse(stream, encryption, all).out, "byte by byte");
    return whole;
  }

  // ---- builders ----

  static Out col(Out o, byte[] typeInfo, String name) {
    return o.u32le(0).u16le(0x0001).bytes(typeInfo).bVarchar(name);
  }

  static byte[] ti(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  static byte[] withCollation(int type, int maxLen) {
    return new Out().u8(type).u16le(maxLen).bytes(COLLATION).toByteArray();
  }

  static byte[] plp(byte[] data, int chunk, boolean knownLength) {
    Out o = new Out().u64le(knownLength ? data.length : 0xFFFFFFFFFFFFFFFEL);
    for (int off = 0; off < data.length; off += chunk) {
      int n = Math.min(chunk, data.length - off);
      o.u32le(n).bytes(Arrays.copyOfRange(data, off, off + n));
    }
    return o.u32le(0).toByteArray();
  }

  static byte[] done(int token, int status, long rows) {
    return TdsBytes.done(token, status, 0xC1, rows);
  }

  /** A COLMETADATA with every type the parser knows, and two rows of it (ROW and NBCROW). */
  static byte[] everyTypeStream() {
    Out m = new Out().u8(0x81);
    List<byte[]> types = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    // fixed-length
    int[][] fixed = {
      {0x30, 1}, {0x32, 1}, {0x34, 2}, {0x38, 4}, {0x3A, 4}, {0x3B, 4}, {0x3C, 8}, {0x3D, 8},
      {0x3E, 8}, {0x7A, 4}, {0x7F, 8}
    };
    for (int[] f : fixed) {
      types.add(ti(f[0]));
      values.add(new byte[f[1]]);
    }
    // BYTELEN
    types.add(ti(0x24, 16));
    values.add(new Out().u8(16).bytes(new byte[16]).toByteArray());
    types.add(ti(0x26, 8));
    values.add(new Out().u8(8).u64le(42).toByteArray());
    types.add(ti(0x68, 1));
    values.add(ti(1, 1));
    types.add(ti(0x6A, 17, 38, 4));
    values.add(ti(17, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16));
    types.add(ti(0x6C, 5, 9, 2));
    values.add(ti(0)); // NULL numeric
    types.add(ti(0x6D, 4));
    values.add(ti(4, 0, 0, 0x80, 0x3F));
    types.add(ti(0x6E, 8));
    values.add(new Out().u8(8).u64le(1).toByteArray());
    types.add(ti(0x6F, 8));
    values.add(new Out().u8(8).u64le(2).toByteArray());
    types.add(ti(0x28));
    values.add(ti(3, 1, 2, 3));
    types.add(ti(0x29, 7));
    values.add(ti(5, 1, 2, 3, 4, 5));
    types.add(ti(0x2A, 3));
    values.add(ti(7, 1, 2, 3, 4, 5, 6, 7));
    types.add(ti(0x2B, 7));
    values.add(ti(10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    types.add(ti(0x27, 20)); // legacy VARCHAR
    values.add(ti(2, 'h', 'i'));
    types.add(ti(0x2D, 4)); // legacy BINARY
    values.add(ti(4, 1, 2, 3, 4));
    // USHORTLEN
    types.add(withCollation(0xA7, 50));
    values.add(new Out().u16le(3).bytes("abc".getBytes()).toByteArray());
    types.add(withCollation(0xE7, 20));
    values.add(ti(0xFF, 0xFF)); // NULL nvarchar(10)
    types.add(ti(0xA5, 8, 0));
    values.add(new Out().u16le(0).toByteArray()); // empty varbinary
    types.add(new Out().u8(0xF5).u16le(16).u8(0).toByteArray()); // vector(2)
    values.add(new Out().u16le(16).bytes(new byte[16]).toByteArray());
    // PLP
    types.add(withCollation(0xE7, 0xFFFF)); // nvarchar(max)
    values.add(plp(TdsBytes.utf16("a long enough text"), 7, true));
    types.add(ti(0xA5, 0xFF, 0xFF)); // varbinary(max), unknown length
    values.add(plp(new byte[40], 16, false));
    types.add(withCollation(0xA7, 0xFFFF)); // varchar(max) NULL
    values.add(new Out().u64le(-1L).toByteArray());
    types.add(
        new Out()
            .u8(0xF1)
            .u8(1)
            .bVarchar("db")
            .bVarchar("dbo")
            .usVarchar("schemas")
            .toByteArray()); // xml
    values.add(plp(TdsBytes.utf16("<a/>"), 100, true));
    types.add(
        new Out()
            .u8(0xF0)
            .u16le(0xFFFF)
            .bVarchar("db")
            .bVarchar("sys")
            .bVarchar("geography")
            .usVarchar("Microsoft.SqlServer.Types.SqlGeography, Microsoft.SqlServer.Types")
            .toByteArray()); // udt
    values.add(plp(new byte[22], 22, true));
    types.add(ti(0xF4)); // json
    values.add(plp("{\"a\":1}".getBytes(), 3, true));
    // LONGLEN
    types.add(
        new Out()
            .u8(0x23)
            .u32le(0x7FFFFFFF)
            .bytes(COLLATION)
            .u8(2)
            .usVarchar("dbo")
            .usVarchar("docs")
            .toByteArray());
    values.add(
        new Out()
            .u8(16)
            .bytes(new byte[16])
            .bytes(new byte[8])
            .u32le(5)
            .bytes("hello".getBytes())
            .toByteArray());
    types.add(
        new Out().u8(0x22).u32le(0x7FFFFFFF).u8(1).usVarchar("pics").toByteArray()); // image NULL
    values.add(ti(0));
    types.add(
        new Out()
            .u8(0x63)
            .u32le(0x7FFFFFFE)
            .bytes(COLLATION)
            .u8(1)
            .usVarchar("t")
            .toByteArray()); // ntext
    values.add(
        new Out()
            .u8(16)
            .bytes(new byte[16])
            .bytes(new byte[8])
            .u32le(4)
            .bytes(TdsBytes.utf16("hi"))
            .toByteArray());
    types.add(new Out().u8(0x62).u32le(8016).toByteArray()); // sql_variant holding an int
    values.add(new Out().u32le(6).u8(0x38).u8(0).u32le(7).toByteArray());
    types.add(new Out().u8(0x62).u32le(8016).toByteArray()); // sql_variant NULL
    values.add(new Out().u32le(0).toByteArray());

    m.u16le(types.size());
    for (int i = 0; i < types.size(); i++) {
      col(m, types.get(i), "c" + i);
    }
    Out s = new Out().bytes(m.toByteArray());
    s.u8(0xD1);
    for (byte[] v : values) {
      s.bytes(v);
    }
    // NBCROW: every other column NULL (bit set), the others carry their value
    int n = types.size();
    byte[] bitmap = new byte[(n + 7) / 8];
    for (int i = 0; i < n; i += 2) {
      bitmap[i / 8] |= (byte) (1 << (i % 8));
    }
    s.u8(0xD2).bytes(bitmap);
    for (int i = 1; i < n; i += 2) {
      s.bytes(values.get(i));
    }
    s.bytes(new Out().u8(0xA9).u16le(2).u16le(1).toByteArray()); // ORDER
    s.bytes(done(0xFF, 0x11, 2));
    return s.toByteArray();
  }

  @Test
  void everyTypeEverySplit() {
    byte[] stream = everyTypeStream();
    Rec r = parseEverySplit(stream, false);
    ColMetadata m = (ColMetadata) r.tokens.get(0);
    List<String> names =
        m.columns().stream().map(c -> c.typeInfo().typeName()).collect(Collectors.toList());
    assertEquals(
        List.of(
            "tinyint",
            "bit",
            "smallint",
            "int",
            "smalldatetime",
            "real",
            "money",
            "datetime",
            "float",
            "smallmoney",
            "bigint",
            "uniqueidentifier",
            "bigint",
            "bit",
            "decimal(38,4)",
            "numeric(9,2)",
            "real",
            "money",
            "datetime",
            "date",
            "time(7)",
            "datetime2(3)",
            "datetimeoffset(7)",
            "varchar(20)",
            "binary(4)",
            "varchar(50)",
            "nvarchar(10)",
            "varbinary(8)",
            "vector(2)",
            "nvarchar(max)",
            "varbinary(max)",
            "varchar(max)",
            "xml",
            "db.sys.geography",
            "json",
            "text",
            "image",
            "ntext",
            "sql_variant",
            "sql_variant"),
        names);
    assertEquals("db.dbo.schemas", m.columns().get(32).typeInfo().xmlSchemaCollection());
    assertTrue(
        m.columns().get(33).typeInfo().udtAssemblyName().startsWith("Microsoft.SqlServer.Types"));
    assertEquals("dbo.docs", m.columns().get(35).tableName());
    assertEquals(0x409, m.columns().get(25).typeInfo().collationLcid());
    assertEquals(
        List.of("row:d1", "row:d2"),
        r.out.stream().filter(s -> s.startsWith("row")).collect(Collectors.toList()));
    assertEquals("DONEINPROC{status=0x11, curCmd=193, rowCount=2}", r.out.get(r.out.size() - 1));
  }

  /**
   * Rows that follow rows are stepped over without leaving the row loop: cut anywhere, the count
   * stays right.
   */
  @Test
  void consecutiveRowsCutAnywhere() {
    Out s = new Out().u8(0x81).u16le(3);
    col(s, ti(0x38), "id");
    col(s, ti(0x26, 8), "amount");
    col(s, withCollation(0xE7, 60), "name");
    int rows = 40;
    for (int i = 0; i < rows; i++) {
      s.u8(0xD1).u32le(i).u8(8).u32le(i * 7).u32le(0);
      if (i % 5 == 4) {
        s.u16le(0xFFFF); // NULL
      } else {
        s.u16le(6).bytes(("ab" + i % 10).getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
      }
    }
    s.bytes(done(0xFD, 0x10, rows));
    Rec r = parseEverySplit(s.toByteArray(), false);
    assertEquals(rows, r.out.stream().filter(x -> x.equals("row:d1")).count(), r.out.toString());
    assertEquals("DONE{status=0x10, curCmd=193, rowCount=40}", r.out.get(r.out.size() - 1));
  }

  @Test
  void nbcRowWithManyColumns() {
    int n = 300;
    Out s = new Out().u8(0x81).u16le(n);
    for (int i = 0; i < n; i++) {
      col(s, ti(0x26, 4), "c" + i);
    }
    Random rnd = new Random(7);
    int rows = 20;
    for (int row = 0; row < rows; row++) {
      byte[] bitmap = new byte[(n + 7) / 8];
      Out values = new Out();
      for (int i = 0; i < n; i++) {
        if (rnd.nextInt(3) == 0) {
          bitmap[i / 8] |= (byte) (1 << (i % 8));
        } else {
          values.u8(4).u32le(i);
        }
      }
      s.u8(0xD2).bytes(bitmap).bytes(values.toByteArray());
    }
    s.bytes(done(0xFD, 0x10, rows));
    byte[] stream = s.toByteArray();
    Rec whole = parse(stream);
    assertEquals(rows, whole.out.stream().filter(x -> x.equals("row:d2")).count());
    for (int chunk : new int[] {1, 2, 3, 7, 64, 4096}) {
      Rec r = new Rec();
      TokenStreamParser p = new TokenStreamParser(r, 64 * 1024);
      for (int off = 0; off < stream.length; off += chunk) {
        p.feed(stream, off, Math.min(chunk, stream.length - off));
      }
      p.endOfMessage();
      assertEquals(whole.out, r.out, "chunk " + chunk);
    }
  }

  @Test
  void multiMegabytePlpValueIsSkippedInConstantMemory() {
    byte[] big = new byte[6 * 1024 * 1024];
    new Random(1).nextBytes(big);
    Out s = new Out().u8(0x81).u16le(2);
    col(s, withCollation(0xE7, 0xFFFF), "doc");
    col(s, ti(0x38), "id");
    s.u8(0xD1).bytes(plp(big, 8000, true)).u32le(1);
    s.bytes(done(0xFD, 0x10, 1));
    byte[] stream = s.toByteArray();
    Rec r = new Rec();
    TokenStreamParser p = new TokenStreamParser(r, 16 * 1024);
    int maxCarry = 0;
    for (int off = 0; off < stream.length; off += 4096) {
      p.feed(stream, off, Math.min(4096, stream.length - off));
      maxCarry = Math.max(maxCarry, p.carriedBytes());
    }
    p.endOfMessage();
    assertEquals(0, r.errors, r.out.toString());
    assertEquals("row:d1", r.out.get(1));
    assertTrue(maxCarry < 64, "carry " + maxCarry);
  }

  /**
   * (max) types came with TDS 7.2: a PLP column sent to a TDS 7.1 client is flagged, not followed.
   */
  @Test
  void plpColumnUnderTds71IsADecodeError() {
    Out s = new Out().u8(0x81).u16le(1);
    s.u16le(0)
        .u16le(0x0001)
        .bytes(withCollation(0xE7, 0xFFFF))
        .bVarchar("doc"); // UserType: USHORT before 7.2
    s.u8(0xD1).bytes(plp(new byte[] {'a', 0}, 8000, true));
    byte[] stream = s.toByteArray();
    Rec r = new Rec();
    TokenStreamParser p = new TokenStreamParser(r, 16 * 1024).tdsVersion(0x71000001);
    p.feed(stream, 0, stream.length);
    p.endOfMessage();
    assertEquals(1, r.errors, r.out.toString());
    assertTrue(r.out.get(0).contains("nvarchar(max) sent as PLP, which TDS 7.1"), r.out.toString());
    // the same column under 7.4 is fine
    assertEquals(
        0,
        parse(
                new Out()
                    .u8(0x81)
                    .u16le(1)
                    .u32le(0)
                    .u16le(1)
                    .bytes(withCollation(0xE7, 0xFFFF))
                    .bVarchar("doc")
                    .u8(0xD1)
                    .bytes(plp(new byte[] {'a', 0}, 8000, true))
                    .toByteArray())
            .errors);
  }

  @Test
  void procedureResponseWithReturnValueStatusAndDone() {
    Out s = new Out();
    s.bytes(TdsBytes.serverMessage(false, 5701, 1, 0, "changed", "SRV"));
    s.u8(0x79).u32le(-3);
    // RETURNVALUE: ordinal, name, status, usertype, flags, TYPE_INFO nvarchar(max), PLP value
    s.u8(0xAC)
        .u16le(1)
        .bVarchar("@out")
        .u8(1)
        .u32le(0)
        .u16le(0)
        .bytes(withCollation(0xE7, 0xFFFF))
        .bytes(plp(TdsBytes.utf16("output text"), 5, true));
    s.u8(0xAC).u16le(2).bVarchar("@n").u8(1).u32le(0).u16le(0).bytes(ti(0x26, 4)).u8(4).u32le(9);
    s.bytes(TdsBytes.serverMessage(true, 50000, 1, 16, "boom", "SRV"));
    s.bytes(done(0xFE, 0x02, 0));
    Rec r = parseEverySplit(s.toByteArray(), false);
    assertEquals(-3, ((ReturnStatus) r.tokens.get(1)).value());
    assertEquals("@out", ((ReturnValue) r.tokens.get(2)).name());
    assertEquals("nvarchar(max)", ((ReturnValue) r.tokens.get(2)).typeInfo().typeName());
    assertEquals("@n", ((ReturnValue) r.tokens.get(3)).name());
    assertTrue(((Done) r.tokens.get(5)).isError());
  }

  @Test
  void otherTokensAreSteppedOver() {
    Out s = new Out();
    s.u8(0x81).u16le(1);
    col(s, ti(0x38), "id");
    s.bytes(new Out().u8(0xA4).u16le(5).u8(1).u16le(1).u16le('t').toByteArray()); // TABNAME
    s.bytes(new Out().u8(0xA5).u16le(3).u8(1).u8(1).u8(0).toByteArray()); // COLINFO
    s.bytes(new Out().u8(0x78).u16le(1).u16le(7).toByteArray()); // OFFSET
    s.u8(0xD1).u32le(1);
    // ALTMETADATA id 1: COUNT(*) as int, then an ALTROW
    s.u8(0x88)
        .u16le(1)
        .u16le(1)
        .u8(0)
        .u8(0x4B)
        .u16le(1)
        .u32le(0)
        .u16le(0)
        .bytes(ti(0x38))
        .bVarchar("cnt");
    s.u8(0xD3).u16le(1).u32le(1);
    // DATACLASSIFICATION (version 1): one label, one type, one column with one property
    s.u8(0xA3)
        .u16le(1)
        .bVarchar("Confidential")
        .bVarchar("L1")
        .u16le(1)
        .bVarchar("Email")
        .bVarchar("T1")
        .u16le(1)
        .u16le(1)
        .u16le(0)
        .u16le(0);
    s.u8(0xE4).u32le(6).u32le(1).u8(0).u8(0); // SESSIONSTATE
    s.bytes(TdsBytes.envChangeString(1, "db2", "db1"));
    s.u8(0xAE).u8(0x0D).u32le(1).u8(1).u8(0xFF); // FEATUREEXTACK
    s.bytes(done(0xFD, 0x20, 0)); // attention acknowledged
    Rec r = parseEverySplit(s.toByteArray(), false);
    assertEquals(
        List.of("row:d1", "row:d3"),
        r.out.stream().filter(x -> x.startsWith("row")).collect(Collectors.toList()));
    assertEquals(1, r.tokens.stream().filter(t -> t instanceof AltMetadata).count());
    assertTrue(((Done) r.tokens.get(r.tokens.size() - 1)).isAttn());
    assertTrue(r.out.stream().anyMatch(x -> x.contains("DATABASE, new='db2'")), r.out.toString());
    assertTrue(r.out.stream().anyMatch(x -> x.contains("JSONSUPPORT")), r.out.toString());
  }

  @Test
  void alwaysEncryptedMetadata() {
    Out s = new Out().u8(0x81).u16le(2);
    // CEK table: one entry with one encrypted value
    s.u16le(1)
        .u32le(5)
        .u32le(1)
        .u32le(1)
        .u64le(77)
        .u8(1)
        .u16le(3)
        .bytes(new byte[] {1, 2, 3})
        .bVarchar("MSSQL_CERTIFICATE_STORE")
        .usVarchar("CurrentUser/My/ABC")
        .bVarchar("RSA_OAEP");
    s.u32le(0).u16le(0x0801).bytes(ti(0xA5, 0x41, 0x00)); // encrypted: varbinary(65) on the wire
    s.u16le(0)
        .u32le(0)
        .bytes(ti(0x26, 4))
        .u8(2)
        .u8(1)
        .u8(1); // ordinal, usertype, base int, algo 2, det., norm 1
    s.bVarchar("ssn");
    col(s, ti(0x38), "id");
    s.u8(0xD1).u16le(3).bytes(new byte[] {9, 9, 9}).u32le(5);
    s.bytes(done(0xFD, 0x10, 1));
    Rec r = parseEverySplit(s.toByteArray(), true);
    ColMetadata m = (ColMetadata) r.tokens.get(0);
    assertEquals(1, m.cekCount());
    Column ssn = m.columns().get(0);
    assertTrue(ssn.isEncrypted());
    assertEquals(TdsDataType.INTN, ssn.crypto().baseTypeInfo().type());
    assertEquals(2, ssn.crypto().encryptionAlgo());
    assertEquals("row:d1", r.out.get(1));
  }

  @Test
  void noMetadataReusesThePreviousLayout() {
    Out first = new Out().u8(0x81).u16le(1);
    col(first, ti(0x38), "id");
    first.bytes(done(0xFD, 0x10, 0));
    Out second = new Out().u8(0x81).u16le(0xFFFF).u8(0xD1).u32le(4).bytes(done(0xFD, 0x10, 1));
    Rec r = new Rec();
    TokenStreamParser p = new TokenStreamParser(r, 4096);
    byte[] a = first.toByteArray();
    byte[] b = second.toByteArray();
    p.feed(a, 0, a.length);
    p.endOfMessage();
    p.feed(b, 0, b.length);
    p.endOfMessage();
    assertEquals(0, r.errors, r.out.toString());
    assertTrue(r.out.contains("row:d1"));
  }

  @Test
  void garbageNeverThrowsAndStaysBounded() {
    Random rnd = new Random(42);
    for (int i = 0; i < 2000; i++) {
      byte[] junk = new byte[rnd.nextInt(300)];
      rnd.nextBytes(junk);
      Rec r = new Rec();
      TokenStreamParser p = new TokenStreamParser(r, 2048);
      int off = 0;
      while (off < junk.length) {
        int n = Math.min(1 + rnd.nextInt(40), junk.length - off);
        p.feed(junk, off, n);
        assertTrue(p.carriedBytes() <= 2048);
        off += n;
      }
      p.endOfMessage();
    }
    // a valid COLMETADATA then random rows: errors, no exceptions
    byte[] prefix = everyTypeStream();
    for (int i = 0; i < 500; i++) {
      byte[] s = Arrays.copyOf(prefix, prefix.length + 200);
      for (int k = 0; k < 200; k++) {
        s[rnd.nextInt(s.length)] = (byte) rnd.nextInt();
      }
      parse(s, rnd.nextInt(s.length));
    }
  }
}
