package io.tdsagent.tds.token;

import io.tdsagent.tds.types.TypeInfo;

/**
 * Always Encrypted CryptoMetaData of a column or RETURNVALUE: the plaintext type and how it is
 * encrypted.
 */
public final class CryptoMetadata {
  private final int cekOrdinal;
  private final TypeInfo baseTypeInfo;
  private final int encryptionAlgo;
  private final String algoName;
  private final int encryptionAlgoType;
  private final int normVersion;

  public CryptoMetadata(
      int cekOrdinal,
      TypeInfo baseTypeInfo,
      int encryptionAlgo,
      String algoName,
      int encryptionAlgoType,
      int normVersion) {
    this.cekOrdinal = cekOrdinal;
    this.baseTypeInfo = baseTypeInfo;
    this.encryptionAlgo = encryptionAlgo;
    this.algoName = algoName;
    this.encryptionAlgoType = encryptionAlgoType;
    this.normVersion = normVersion;
  }

  /** Index into the CEK table; -1 for RETURNVALUE, which has none. */
  public int cekOrdinal() {
    return cekOrdinal;
  }

  public TypeInfo baseTypeInfo() {
    return baseTypeInfo;
  }

  public int encryptionAlgo() {
    return encryptionAlgo;
  }

  public String algoName() {
    return algoName;
  }

  /** 1 deterministic, 2 randomized. */
  public int encryptionAlgoType() {
    return encryptionAlgoType;
  }

  public int normVersion() {
    return normVersion;
  }

  @Override
  public String toString() {
    return "Crypto{cek="
        + cekOrdinal
        + ", base="
        + baseTypeInfo
        + ", algo="
        + encryptionAlgo
        + (algoName != null ? "/" + algoName : "")
        + ", type="
        + encryptionAlgoType
        + '}';
  }
}
