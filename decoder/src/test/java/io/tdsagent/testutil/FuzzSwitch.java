package io.tdsagent.testutil;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code -DskipFuzz} (the build passes it on as the system property {@code skipFuzz}): a class of
 * fuzz targets that carries this extension runs none of them, not even over its seed corpus, and
 * says so on the build's console. Without it, or with {@code -DskipFuzz=false}, the targets run.
 * The short fuzzing run of {@code DecoderFuzzTest#connection} ({@code decoder/pom.xml}, profile
 * fuzz-short) is skipped by the same property.
 */
public final class FuzzSwitch implements ExecutionCondition {
  static final String PROPERTY = "skipFuzz";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (!skip(System.getProperty(PROPERTY))) {
      return ConditionEvaluationResult.enabled(PROPERTY + " is not set");
    }
    String why = context.getDisplayName() + ": fuzz targets and seed corpus not run (-DskipFuzz)";
    if (context.getTestMethod().isEmpty()) {
      Missing.loud("*** SKIPPED: " + why);
    }
    return ConditionEvaluationResult.disabled(why);
  }

  /**
   * As surefire reads {@code <skip>${skipFuzz}</skip>} for the short fuzzing run: "true" in any
   * case ({@code -DskipFuzz} alone is "true").
   */
  static boolean skip(String value) {
    return value != null && Boolean.parseBoolean(value.trim());
  }
}
