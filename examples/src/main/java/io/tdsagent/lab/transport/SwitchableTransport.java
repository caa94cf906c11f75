package io.tdsagent.lab.transport;

import java.io.IOException;

/**
 * The transport a session talks through; its layer changes during connection set-up (plaintext,
 * TLS, and for login-only encryption back to plaintext).
 */
public final class SwitchableTransport implements Transport {
  private Transport current;

  public SwitchableTransport(Transport initial) {
    this.current = initial;
  }

  public Transport current() {
    return current;
  }

  public void switchTo(Transport next) {
    this.current = next;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return current.read(b, off, len);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    current.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    current.flush();
  }
}
