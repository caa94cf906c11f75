package io.tdsagent.trace;

import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.Login7Event;
import io.tdsagent.tds.event.PreloginEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TokenEvent;
import io.tdsagent.tds.token.EnvChange;
import io.tdsagent.tds.token.EnvChangeType;

/** What every span of one connection shares; updated from the events as the session goes on. */
final class ConnectionInfo {
  private final String host;
  private final int port;
  private final boolean rawSql;
  private String database;
  private String clientConnectionId;
  private SpanPlan.LinkKey loginLink;

  /** What the spans made so far shared; remade only when something in it changes. */
  private Snapshot snapshot;

  ConnectionInfo(String host, int port, boolean rawSql) {
    this.host = host;
    this.port = port;
    this.rawSql = rawSql;
  }

  void observe(TdsEvent e) {
    if (e instanceof TokenEvent && ((TokenEvent) e).token() instanceof EnvChange) {
      EnvChange env = (EnvChange) ((TokenEvent) e).token();
      if (env.envType() == EnvChangeType.DATABASE && env.newValue() != null) {
        database = env.newValue();
        snapshot = null;
      }
    } else if (e instanceof PreloginEvent
        && ((PreloginEvent) e).direction() == Direction.CLIENT_TO_SERVER) {
      PreloginEvent p = (PreloginEvent) e;
      if (p.prelogin().traceId() != null) {
        clientConnectionId = String.valueOf(p.prelogin().traceId().connectionId());
        snapshot = null;
      }
    } else if (e instanceof Login7Event && database == null) {
      String requested = ((Login7Event) e).login7().database();
      database = requested == null || requested.isEmpty() ? null : requested;
      snapshot = null;
    }
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  boolean rawSql() {
    return rawSql;
  }

  String database() {
    return database;
  }

  String clientConnectionId() {
    return clientConnectionId;
  }

  /** What request and MARS session spans link to: the login span, once it is made. */
  SpanPlan.LinkKey loginLink() {
    return loginLink;
  }

  /** The connection's values now, for a span made later on another thread. */
  Snapshot snapshot() {
    Snapshot s = snapshot;
    if (s == null) {
      s = new Snapshot(host, port, rawSql, database, clientConnectionId);
      snapshot = s;
    }
    return s;
  }

  /**
   * The same connection traced again after a pause: what it knew carries over, the rest is learnt
   * anew.
   */
  ConnectionInfo copy() {
    ConnectionInfo c = new ConnectionInfo(host, port, rawSql);
    c.database = database;
    c.clientConnectionId = clientConnectionId;
    c.loginLink = loginLink;
    return c;
  }

  void loginPlan(SpanPlan plan) {
    this.loginLink = plan.linkKey();
  }

  /** Immutable: the values a request span shows of its connection. */
  static final class Snapshot {
    private final String host;
    private final int port;
    private final boolean rawSql;
    private final String database;
    private final String clientConnectionId;

    Snapshot(String host, int port, boolean rawSql, String database, String clientConnectionId) {
      this.host = host;
      this.port = port;
      this.rawSql = rawSql;
      this.database = database;
      this.clientConnectionId = clientConnectionId;
    }

    String host() {
      return host;
    }

    int port() {
      return port;
    }

    boolean rawSql() {
      return rawSql;
    }

    String database() {
      return database;
    }

    String clientConnectionId() {
      return clientConnectionId;
    }
  }
}
