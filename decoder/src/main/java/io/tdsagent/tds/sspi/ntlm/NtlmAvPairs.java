package io.tdsagent.tds.sspi.ntlm;

import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;
import java.time.Instant;

/**
 * AV_PAIR list (MS-NLMP 2.2.2.1): the server's TargetInfo in a CHALLENGE, echoed (plus the client's
 * additions) inside an NTLMv2 response. Names, flags and the timestamp are kept; the
 * channel-bindings hash and Single_Host_Data only as "present".
 */
public final class NtlmAvPairs {
  public static final int MSV_AV_EOL = 0;
  public static final int MSV_AV_NB_COMPUTER_NAME = 1;
  public static final int MSV_AV_NB_DOMAIN_NAME = 2;
  public static final int MSV_AV_DNS_COMPUTER_NAME = 3;
  public static final int MSV_AV_DNS_DOMAIN_NAME = 4;
  public static final int MSV_AV_DNS_TREE_NAME = 5;
  public static final int MSV_AV_FLAGS = 6;
  public static final int MSV_AV_TIMESTAMP = 7;
  public static final int MSV_AV_SINGLE_HOST = 8;
  public static final int MSV_AV_TARGET_NAME = 9;
  public static final int MSV_AV_CHANNEL_BINDINGS = 10;

  /** MsvAvFlags bits. */
  public static final long AV_FLAG_ACCOUNT_CONSTRAINED = 0x1;

  public static final long AV_FLAG_MIC = 0x2;
  public static final long AV_FLAG_UNTRUSTED_SPN = 0x4;

  private static final int MAX_PAIRS = 64;

  /** 100 ns intervals between 1601-01-01 and 1970-01-01. */
  private static final long FILETIME_EPOCH_SECONDS = 11_644_473_600L;

  private final String nbComputerName;
  private final String nbDomainName;
  private final String dnsComputerName;
  private final String dnsDomainName;
  private final String dnsTreeName;
  private final long flags;
  private final Instant timestamp;
  private final String targetName;
  private final boolean singleHost;
  private final boolean channelBindings;
  private final int count;

  private NtlmAvPairs(
      String[] names,
      long flags,
      Instant timestamp,
      boolean singleHost,
      boolean channelBindings,
      int count) {
    this.nbComputerName = names[MSV_AV_NB_COMPUTER_NAME];
    this.nbDomainName = names[MSV_AV_NB_DOMAIN_NAME];
    this.dnsComputerName = names[MSV_AV_DNS_COMPUTER_NAME];
    this.dnsDomainName = names[MSV_AV_DNS_DOMAIN_NAME];
    this.dnsTreeName = names[MSV_AV_DNS_TREE_NAME];
    this.targetName = names[MSV_AV_TARGET_NAME];
    this.flags = flags;
    this.timestamp = timestamp;
    this.singleHost = singleHost;
    this.channelBindings = channelBindings;
    this.count = count;
  }

  /** Parses pairs up to MsvAvEOL or the end of the range (some senders omit the terminator). */
  static NtlmAvPairs read(ByteReader r) {
    String[] names = new String[MSV_AV_CHANNEL_BINDINGS + 1];
    long flags = -1;
    Instant timestamp = null;
    boolean singleHost = false;
    boolean bindings = false;
    int count = 0;
    while (r.remaining() >= 4) {
      int id = r.u16le();
      int len = r.u16le();
      if (id == MSV_AV_EOL) {
        break;
      }
      if (++count > MAX_PAIRS) {
        throw new DecodeException("more than " + MAX_PAIRS + " AV pairs");
      }
      ByteReader v = r.slice(len);
      switch (id) {
        case MSV_AV_NB_COMPUTER_NAME:
        case MSV_AV_NB_DOMAIN_NAME:
        case MSV_AV_DNS_COMPUTER_NAME:
        case MSV_AV_DNS_DOMAIN_NAME:
        case MSV_AV_DNS_TREE_NAME:
        case MSV_AV_TARGET_NAME:
          names[id] = v.utf16le(len / 2);
          break;
        case MSV_AV_FLAGS:
          flags = v.u32le();
          break;
        case MSV_AV_TIMESTAMP:
          timestamp = fileTime(v.i64le());
          break;
        case MSV_AV_SINGLE_HOST:
          singleHost = true;
          break;
        case MSV_AV_CHANNEL_BINDINGS:
          // an MD5 of the TLS channel bindings: only whether it is set (all zero means "none")
          // leaves here
          while (v.hasRemaining()) {
            bindings |= v.u8() != 0;
          }
          break;
        default:
          break;
      }
    }
    return new NtlmAvPairs(names, flags, timestamp, singleHost, bindings, count);
  }

  static Instant fileTime(long ticks) {
    if (ticks < 0) {
      throw new DecodeException("negative FILETIME");
    }
    return Instant.ofEpochSecond(
        ticks / 10_000_000L - FILETIME_EPOCH_SECONDS, (ticks % 10_000_000L) * 100);
  }

  /** MsvAvNbComputerName, or null. */
  public String nbComputerName() {
    return nbComputerName;
  }

  /** MsvAvNbDomainName, or null. */
  public String nbDomainName() {
    return nbDomainName;
  }

  /** MsvAvDnsComputerName, or null. */
  public String dnsComputerName() {
    return dnsComputerName;
  }

  /** MsvAvDnsDomainName, or null. */
  public String dnsDomainName() {
    return dnsDomainName;
  }

  /** MsvAvDnsTreeName (forest), or null. */
  public String dnsTreeName() {
    return dnsTreeName;
  }

  /** MsvAvFlags, or -1 when absent. */
  public long flags() {
    return flags;
  }

  /** MsvAvTimestamp, or null. */
  public Instant timestamp() {
    return timestamp;
  }

  /** MsvAvTargetName: the SPN the client meant (e.g. "MSSQLSvc/host:1433"), or null. */
  public String targetName() {
    return targetName;
  }

  /** MsvAvSingleHost was present. */
  public boolean hasSingleHost() {
    return singleHost;
  }

  /** MsvAvChannelBindings was present and not all zero. */
  public boolean hasChannelBindings() {
    return channelBindings;
  }

  /** MsvAvFlags has the MIC bit (0x2). */
  public boolean isMicProvided() {
    return flags >= 0 && (flags & AV_FLAG_MIC) != 0;
  }

  /** Pairs before MsvAvEOL. */
  public int count() {
    return count;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("AvPairs{");
    append(sb, "nbComputer", nbComputerName);
    append(sb, "nbDomain", nbDomainName);
    append(sb, "dnsComputer", dnsComputerName);
    append(sb, "dnsDomain", dnsDomainName);
    append(sb, "dnsTree", dnsTreeName);
    append(sb, "targetName", targetName);
    if (flags >= 0) {
      sb.append("flags=0x").append(Long.toHexString(flags)).append(", ");
    }
    if (timestamp != null) {
      sb.append("timestamp=").append(timestamp).append(", ");
    }
    if (singleHost) {
      sb.append("singleHost, ");
    }
    if (channelBindings) {
      sb.append("channelBindings, ");
    }
    return sb.append("count=").append(count).append('}').toString();
  }

  private static void append(StringBuilder sb, String k, String v) {
    if (v != null) {
      sb.append(k).append("='").append(v).append("', ");
    }
  }
}
