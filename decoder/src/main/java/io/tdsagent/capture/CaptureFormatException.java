package io.tdsagent.capture;

import java.io.IOException;

/** The file is not a pcap/pcapng capture this reader understands, or is corrupt. */
public final class CaptureFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  CaptureFormatException(String message) {
    super(message);
  }
}
