package io.tdsagent.tds.request;

import io.tdsagent.tds.types.ValueSkipper;

/** The first bytes of a parameter value, for the opt-in rendering. */
final class ValueCapture implements ValueSkipper.Sink {
  final byte[] data;
  int length;

  ValueCapture(int max) {
    data = new byte[Math.min(max, 8192)];
  }

  @Override
  public void onData(byte[] buf, int off, int len) {
    int n = Math.min(len, data.length - length);
    System.arraycopy(buf, off, data, length, n);
    length += n;
  }
}
