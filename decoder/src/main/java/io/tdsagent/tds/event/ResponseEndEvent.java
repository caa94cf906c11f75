package io.tdsagent.tds.event;

import io.tdsagent.tds.request.Request;
import io.tdsagent.tds.token.Done;
import io.tdsagent.tds.token.ServerMessage;
import java.util.Collections;
import java.util.List;

/**
 * The response to a request is over: its final DONE (no DONE_MORE) arrived, or, after an Attention,
 * the DONE with DONE_ATTN that acknowledges it. Carries the totals of the whole response.
 */
public final class ResponseEndEvent extends TdsEvent {
  private final Request request;
  private final long startNanos;
  private final long responseBytes;
  private final long rowCount;
  private final int resultSetCount;
  private final long doneRowCount;
  private final int errorCount;
  private final int infoCount;
  private final ServerMessage firstError;
  private final boolean hasReturnStatus;
  private final int returnStatus;
  private final List<String> outputParameters;
  private final boolean cancelRequested;
  private final boolean attentionAcknowledged;
  private final Done finalDone;
  private final boolean complete;

  public ResponseEndEvent(
      Request request,
      long startNanos,
      long responseBytes,
      long rowCount,
      int resultSetCount,
      long doneRowCount,
      int errorCount,
      int infoCount,
      ServerMessage firstError,
      boolean hasReturnStatus,
      int returnStatus,
      List<String> outputParameters,
      boolean cancelRequested,
      boolean attentionAcknowledged,
      Done finalDone,
      boolean complete,
      long timeNanos) {
    super(timeNanos);
    this.request = request;
    this.startNanos = startNanos;
    this.responseBytes = responseBytes;
    this.rowCount = rowCount;
    this.resultSetCount = resultSetCount;
    this.doneRowCount = doneRowCount;
    this.errorCount = errorCount;
    this.infoCount = infoCount;
    this.firstError = firstError;
    this.hasReturnStatus = hasReturnStatus;
    this.returnStatus = returnStatus;
    this.outputParameters = Collections.unmodifiableList(outputParameters);
    this.cancelRequested = cancelRequested;
    this.attentionAcknowledged = attentionAcknowledged;
    this.finalDone = finalDone;
    this.complete = complete;
  }

  /** The request answered; null when joined mid-response. */
  public Request request() {
    return request;
  }

  /** Time of the first response byte (as in {@link ResponseStartEvent}). */
  public long startNanos() {
    return startNanos;
  }

  /** All packets of the response message(s), headers included. */
  public long responseBytes() {
    return responseBytes;
  }

  /** ROW + NBCROW tokens stepped over, all result sets together. */
  public long rowCount() {
    return rowCount;
  }

  public int resultSetCount() {
    return resultSetCount;
  }

  /** Sum of DoneRowCount over DONE/DONEPROC/DONEINPROC tokens with DONE_COUNT set. */
  public long doneRowCount() {
    return doneRowCount;
  }

  public int errorCount() {
    return errorCount;
  }

  public int infoCount() {
    return infoCount;
  }

  /** The first ERROR token of class 11 or more; null if none. */
  public ServerMessage firstError() {
    return firstError;
  }

  public boolean hasReturnStatus() {
    return hasReturnStatus;
  }

  /** The last RETURNSTATUS; meaningful if {@link #hasReturnStatus()}. */
  public int returnStatus() {
    return returnStatus;
  }

  /** RETURNVALUE parameter names, in stream order (at most 64). */
  public List<String> outputParameters() {
    return outputParameters;
  }

  /** The client sent an Attention while this request was outstanding. */
  public boolean cancelRequested() {
    return cancelRequested;
  }

  /** A DONE with DONE_ATTN arrived. */
  public boolean attentionAcknowledged() {
    return attentionAcknowledged;
  }

  /**
   * The DONE that ended the response; null if it ended otherwise (connection closed, decode error).
   */
  public Done finalDone() {
    return finalDone;
  }

  /** The response ended with its final DONE and was decoded without error. */
  public boolean complete() {
    return complete;
  }

  /** An ERROR of class 11+, or a DONE_ERROR/DONE_SRVERROR on the final DONE. */
  public boolean failed() {
    return firstError != null
        || finalDone != null && (finalDone.isError() || finalDone.isSrvError());
  }

  @Override
  public String toString() {
    return "ResponseEnd{rows="
        + rowCount
        + ", resultSets="
        + resultSetCount
        + ", doneRows="
        + doneRowCount
        + ", errors="
        + errorCount
        + ", infos="
        + infoCount
        + (firstError != null
            ? ", firstError=" + firstError.number() + "/class " + firstError.severity()
            : "")
        + (hasReturnStatus ? ", returnStatus=" + returnStatus : "")
        + (outputParameters.isEmpty() ? "" : ", out=" + outputParameters)
        + (cancelRequested
            ? ", cancel" + (attentionAcknowledged ? " acknowledged" : " pending")
            : "")
        + ", bytes="
        + responseBytes
        + (complete ? "" : ", INCOMPLETE")
        + ", t="
        + startNanos
        + ".."
        + timeNanos()
        + '}';
  }
}
