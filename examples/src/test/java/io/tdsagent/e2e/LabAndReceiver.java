package io.tdsagent.e2e;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.LabServer;
import io.tdsagent.otlp.OtlpReceiver;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The usual end-to-end set-up, as a JUnit extension: a lab server with one SQL login (databases
 * master and demo) and an OTLP receiver, started once per class and emptied before each test.
 */
final class LabAndReceiver implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private final String user;
  private final String password;
  private final Encryption encryption;
  private LabServer server;
  private OtlpReceiver receiver;

  LabAndReceiver(String user, String password, Encryption encryption) {
    this.user = user;
    this.password = password;
    this.encryption = encryption;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server =
        LabServer.builder()
            .port(0)
            .login(user, password)
            .database("master", "demo")
            .encryption(encryption)
            .build()
            .start();
    receiver = OtlpReceiver.start(0);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    server.close();
    receiver.close();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    receiver.clear();
  }

  LabServer server() {
    return server;
  }

  OtlpReceiver receiver() {
    return receiver;
  }
}
