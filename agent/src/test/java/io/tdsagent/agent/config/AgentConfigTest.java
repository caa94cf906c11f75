package io.tdsagent.agent.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
  @AfterEach
  void reset() {
    System.clearProperty(AgentConfig.CAPTURE);
    CaptureSwitch.refresh();
  }

  @Test
  void switchValues() {
    assertTrue(AgentConfig.parseSwitch(null, true));
    assertFalse(AgentConfig.parseSwitch("off", true));
    assertFalse(AgentConfig.parseSwitch(" OFF ", true));
    assertFalse(AgentConfig.parseSwitch("false", true));
    assertTrue(AgentConfig.parseSwitch("on", false));
    assertTrue(AgentConfig.parseSwitch("true", false));
    assertTrue(AgentConfig.parseSwitch("garbage", true));
    assertFalse(AgentConfig.parseSwitch("garbage", false));
  }

  @Test
  void captureFollowsTheSystemPropertyWhileRunning() throws Exception {
    CaptureSwitch.start();
    System.setProperty(AgentConfig.CAPTURE, "off");
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (CaptureSwitch.isOn() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertFalse(CaptureSwitch.isOn(), "the poller saw capture=off");
    System.setProperty(AgentConfig.CAPTURE, "on");
    assertTrue(CaptureSwitch.refresh(), "connection set-up reads the property directly");
    assertTrue(CaptureSwitch.isOn());
  }
}
