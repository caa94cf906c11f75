package io.tdsagent.tds.event;

/** Which way bytes travelled, from the client's point of view. */
public enum Direction {
  CLIENT_TO_SERVER,
  SERVER_TO_CLIENT
}
