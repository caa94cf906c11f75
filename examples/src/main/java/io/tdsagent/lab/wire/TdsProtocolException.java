package io.tdsagent.lab.wire;

import java.io.IOException;

/** The peer sent something that is not valid TDS; the connection is dropped. */
public class TdsProtocolException extends IOException {
  private static final long serialVersionUID = 1L;

  public TdsProtocolException(String message) {
    super(message);
  }
}
