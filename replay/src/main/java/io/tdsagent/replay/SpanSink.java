package io.tdsagent.replay;

import java.io.IOException;

/** Where finished spans go. A connection's root span comes after all of its other spans. */
public interface SpanSink {
  void span(Span span) throws IOException;

  /** Everything has been written. */
  default void finish() throws IOException {}
}
