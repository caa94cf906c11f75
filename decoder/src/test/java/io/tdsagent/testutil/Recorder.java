package io.tdsagent.testutil;

import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TdsEventListener;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Collects events for assertions. */
public final class Recorder implements TdsEventListener {
  public final List<TdsEvent> events = new ArrayList<>();

  @Override
  public void onEvent(TdsEvent event) {
    events.add(event);
  }

  public <T extends TdsEvent> List<T> of(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
  }

  public <T extends TdsEvent> T one(Class<T> type) {
    List<T> l = of(type);
    if (l.size() != 1) {
      throw new AssertionError(
          "expected one " + type.getSimpleName() + ", got " + l.size() + ": " + dump());
    }
    return l.get(0);
  }

  public String dump() {
    return events.stream().map(Object::toString).collect(Collectors.joining("\n  ", "\n  ", "\n"));
  }
}
