package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.LabServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * The fixture's life cycle, driven through its callbacks as JUnit drives them: a lab server started
 * while a test runs stops after that test, one started before stops after the class, and so does
 * the receiver.
 */
class LabAndReceiverTest {

  @Test
  void labsStopAfterTheTestOrTheClassThatStartedThem() throws Exception {
    LabAndReceiver fixture = new LabAndReceiver("fixture_user", "Fixture-Pa55!");
    fixture.beforeAll(null);
    int receiverPort = fixture.receiver().port();
    LabServer forClass = fixture.lab(LabServer.builder());
    fixture.beforeEach(null);
    LabServer forTest = fixture.lab(LabServer.builder());
    assertTrue(listening(forTest.port()), "a test's lab server runs during the test");
    fixture.afterEach(null);
    assertFalse(listening(forTest.port()), "a test's lab server stops after the test");
    assertTrue(listening(forClass.port()), "the class's lab server runs on");

    fixture.beforeEach(null);
    LabServer next = fixture.lab(LabServer.builder());
    fixture.afterEach(null);
    assertFalse(listening(next.port()), "each test's lab servers stop after it");

    assertTrue(listening(receiverPort), "the receiver runs for the class");
    fixture.afterAll(null);
    assertFalse(listening(forClass.port()), "the class's lab server stops after the class");
    assertFalse(listening(receiverPort), "the receiver stops after the class");
  }

  /**
   * Whether something listens on 127.0.0.1:{@code port}: the port cannot be bound. (Connecting to
   * find out can succeed on a free port: a connect whose own source port happens to be the port it
   * dials connects to itself.)
   */
  private static boolean listening(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true); // a closed server's connections may linger in TIME_WAIT
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return false;
    } catch (IOException inUse) {
      return true;
    }
  }
}
