package io.tdsagent.tds.event;

import io.tdsagent.tds.event.TdsEvent;

/** Receives events synchronously, on the thread that fed the bytes. */
@FunctionalInterface
public interface TdsEventListener {
    void onEvent(TdsEvent event);
}
