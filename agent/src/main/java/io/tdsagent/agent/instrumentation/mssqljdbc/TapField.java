package io.tdsagent.agent.instrumentation.mssqljdbc;

/** The field the agent adds to {@code TDSChannel} to hold that channel's tap (or null). */
final class TapField {
  static final String NAME = "tdsagent$tap";

  private TapField() {}
}
