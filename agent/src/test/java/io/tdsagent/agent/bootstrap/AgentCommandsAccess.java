package io.tdsagent.agent.bootstrap;

import java.util.Map;

/** Test access to the agent's side of the command format. */
public final class AgentCommandsAccess {
  private AgentCommandsAccess() {}

  public static Map<String, String> parse(String args) {
    return AgentCommands.parse(args);
  }
}
