package io.tdsagent.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
  @AfterEach
  void reset() {
    System.clearProperty(AgentConfig.CAPTURE);
    System.clearProperty(AgentConfig.REQUESTS_PER_SECOND);
    System.clearProperty(AgentConfig.SLOW_MS);
    CaptureSwitch.isOn();
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
  void requestBudgetSettings() {
    assertEquals(1000.0, AgentConfig.requestsPerSecond());
    assertEquals(100L, AgentConfig.slowMillis());
    for (String all : new String[] {"unlimited", " ALL ", "-1"}) {
      System.setProperty(AgentConfig.REQUESTS_PER_SECOND, all);
      assertEquals(-1.0, AgentConfig.requestsPerSecond(), all);
    }
    System.setProperty(AgentConfig.REQUESTS_PER_SECOND, "250");
    assertEquals(250.0, AgentConfig.requestsPerSecond());
    System.setProperty(AgentConfig.REQUESTS_PER_SECOND, "0");
    assertEquals(0.0, AgentConfig.requestsPerSecond());
    System.setProperty(AgentConfig.REQUESTS_PER_SECOND, "lots");
    assertEquals(
        1000.0, AgentConfig.requestsPerSecond(), "a value it cannot read keeps the default");
    System.setProperty(AgentConfig.SLOW_MS, "2500");
    assertEquals(2500L, AgentConfig.slowMillis());
  }

  @Test
  void captureFollowsTheSystemPropertyAtTheNextCheck() {
    assertTrue(CaptureSwitch.isOn());
    System.setProperty(AgentConfig.CAPTURE, "off");
    assertFalse(CaptureSwitch.isOn(), "the very next check sees capture=off");
    assertFalse(CaptureSwitch.isOn());
    System.setProperty(AgentConfig.CAPTURE, new String("on"));
    assertTrue(CaptureSwitch.isOn());
    System.setProperty(AgentConfig.CAPTURE, new String("off"));
    assertFalse(CaptureSwitch.isOn(), "an equal text set again is read again");
    System.clearProperty(AgentConfig.CAPTURE);
    assertTrue(CaptureSwitch.isOn(), "unset means the default, on");
  }
}
