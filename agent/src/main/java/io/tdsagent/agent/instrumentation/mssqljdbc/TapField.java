package io.tdsagent.agent.instrumentation.mssqljdbc;

/** The field the agent adds to {@code TDSChannel} to hold that channel's tap (or null). */
final class TapField {
  static final String NAME = "tdsagent$tap"; // also io.tdsagent.agent.tap.TapFieldReader.FIELD

  private TapField() {}
}
