package io.tdsagent.tds.prelogin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A decoded PRELOGIN message (MS-TDS 2.2.6.5), request or response. Absent options are null. */
public final class Prelogin {
  private final PreloginVersion version;
  private final Integer encryptionRaw;
  private final String instance;
  private final Long threadId;
  private final Boolean mars;
  private final TraceId traceId;
  private final Integer fedAuthRequired;
  private final boolean nonce;
  private final List<PreloginOptionToken> order;
  private final List<PreloginOption> unknownOptions;

  Prelogin(Builder b) {
    this.version = b.version;
    this.encryptionRaw = b.encryptionRaw;
    this.instance = b.instance;
    this.threadId = b.threadId;
    this.mars = b.mars;
    this.traceId = b.traceId;
    this.fedAuthRequired = b.fedAuthRequired;
    this.nonce = b.nonce;
    this.order = Collections.unmodifiableList(new ArrayList<>(b.order));
    this.unknownOptions = Collections.unmodifiableList(new ArrayList<>(b.unknownOptions));
  }

  public PreloginVersion version() {
    return version;
  }

  /** ENCRYPTION without the CLIENT_CERT bit; null when the option is absent. */
  public EncryptionMode encryption() {
    return encryptionRaw == null ? null : EncryptionMode.fromByte(encryptionRaw);
  }

  /** The ENCRYPTION byte as sent (CLIENT_CERT bit included); null when absent. */
  public Integer encryptionRaw() {
    return encryptionRaw;
  }

  public boolean isClientCert() {
    return encryptionRaw != null && (encryptionRaw & EncryptionMode.CLIENT_CERT) != 0;
  }

  /** INSTOPT: instance name (client) or validation result (server, usually empty). */
  public String instance() {
    return instance;
  }

  public Long threadId() {
    return threadId;
  }

  public Boolean mars() {
    return mars;
  }

  public TraceId traceId() {
    return traceId;
  }

  /** FEDAUTHREQUIRED byte (0 or 1); null when absent. */
  public Integer fedAuthRequired() {
    return fedAuthRequired;
  }

  /** NONCEOPT was present (its 32 bytes are not kept). */
  public boolean hasNonce() {
    return nonce;
  }

  /** Option tokens in the order the message listed them (TERMINATOR excluded). */
  public List<PreloginOptionToken> optionOrder() {
    return order;
  }

  public List<PreloginOption> unknownOptions() {
    return unknownOptions;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Prelogin{");
    sb.append("version=").append(version);
    if (encryptionRaw != null) {
      sb.append(", encryption=").append(encryption()).append(isClientCert() ? "+CLIENT_CERT" : "");
    }
    if (instance != null) {
      sb.append(", instance='").append(instance).append('\'');
    }
    if (threadId != null) {
      sb.append(", threadId=").append(threadId);
    }
    if (mars != null) {
      sb.append(", mars=").append(mars);
    }
    if (traceId != null) {
      sb.append(", traceId=").append(traceId);
    }
    if (fedAuthRequired != null) {
      sb.append(", fedAuthRequired=").append(fedAuthRequired);
    }
    if (nonce) {
      sb.append(", nonce");
    }
    if (!unknownOptions.isEmpty()) {
      sb.append(", unknown=").append(unknownOptions);
    }
    return sb.append('}').toString();
  }

  /** Used by the decoder and by tests. */
  public static final class Builder {
    private PreloginVersion version;
    private Integer encryptionRaw;
    private String instance;
    private Long threadId;
    private Boolean mars;
    private TraceId traceId;
    private Integer fedAuthRequired;
    private boolean nonce;
    private final List<PreloginOptionToken> order = new ArrayList<>();
    private final List<PreloginOption> unknownOptions = new ArrayList<>();

    public Builder version(PreloginVersion v) {
      this.version = v;
      return this;
    }

    public Builder encryptionRaw(int v) {
      this.encryptionRaw = v;
      return this;
    }

    public Builder instance(String v) {
      this.instance = v;
      return this;
    }

    public Builder threadId(long v) {
      this.threadId = v;
      return this;
    }

    public Builder mars(boolean v) {
      this.mars = v;
      return this;
    }

    public Builder traceId(TraceId v) {
      this.traceId = v;
      return this;
    }

    public Builder fedAuthRequired(int v) {
      this.fedAuthRequired = v;
      return this;
    }

    public Builder nonce(boolean v) {
      this.nonce = v;
      return this;
    }

    Builder seen(PreloginOptionToken t) {
      order.add(t);
      return this;
    }

    public Builder unknown(PreloginOption o) {
      unknownOptions.add(o);
      return this;
    }

    public Prelogin build() {
      return new Prelogin(this);
    }
  }
}
