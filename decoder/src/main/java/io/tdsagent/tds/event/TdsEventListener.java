package io.tdsagent.tds.event;

/** Receives events synchronously, on the thread that fed the bytes. */
@FunctionalInterface
public interface TdsEventListener {
  void onEvent(TdsEvent event);
}
