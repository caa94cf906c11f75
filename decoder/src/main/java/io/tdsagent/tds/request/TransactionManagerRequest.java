package io.tdsagent.tds.request;

import io.tdsagent.tds.packet.PacketType;

/** Transaction Manager request (0x0E), MS-TDS 2.2.6.9. Payload names are not kept. */
public final class TransactionManagerRequest extends Request {
  public static final int TM_GET_DTC_ADDRESS = 0;
  public static final int TM_PROPAGATE_XACT = 1;
  public static final int TM_BEGIN_XACT = 5;
  public static final int TM_PROMOTE_XACT = 6;
  public static final int TM_COMMIT_XACT = 7;
  public static final int TM_ROLLBACK_XACT = 8;
  public static final int TM_SAVE_XACT = 9;

  private final AllHeaders headers;
  private final int requestType;
  private final int isolationLevel;

  TransactionManagerRequest(
      AllHeaders headers, int requestType, int isolationLevel, boolean complete) {
    super(PacketType.TRANSACTION_MANAGER, complete);
    this.headers = headers;
    this.requestType = requestType;
    this.isolationLevel = isolationLevel;
  }

  public AllHeaders headers() {
    return headers;
  }

  /** RequestType; -1 if the message was too short to hold one. */
  public int requestType() {
    return requestType;
  }

  /** TM_GET_DTC_ADDRESS, TM_BEGIN_XACT...; "TM_UNKNOWN(n)" otherwise. */
  public String requestTypeName() {
    return typeName(requestType);
  }

  /**
   * ISOLATION_LEVEL of TM_BEGIN_XACT or of a commit/rollback that begins a new transaction; -1 if
   * none.
   */
  public int isolationLevel() {
    return isolationLevel;
  }

  public static String typeName(int type) {
    switch (type) {
      case TM_GET_DTC_ADDRESS:
        return "TM_GET_DTC_ADDRESS";
      case TM_PROPAGATE_XACT:
        return "TM_PROPAGATE_XACT";
      case TM_BEGIN_XACT:
        return "TM_BEGIN_XACT";
      case TM_PROMOTE_XACT:
        return "TM_PROMOTE_XACT";
      case TM_COMMIT_XACT:
        return "TM_COMMIT_XACT";
      case TM_ROLLBACK_XACT:
        return "TM_ROLLBACK_XACT";
      case TM_SAVE_XACT:
        return "TM_SAVE_XACT";
      default:
        return "TM_UNKNOWN(" + type + ")";
    }
  }

  @Override
  public String toString() {
    return "TransactionManager{"
        + requestTypeName()
        + (isolationLevel >= 0 ? ", isolation=" + isolationLevel : "")
        + (headers != null ? ", " + headers : "")
        + '}';
  }
}
