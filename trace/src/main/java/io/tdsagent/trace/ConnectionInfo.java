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
  /** What the spans share now; replaced, never changed, when something in it changes. */
  private Snapshot current;

  private SpanPlan.LinkKey loginLink;

  ConnectionInfo(String host, int port, boolean rawSql) {
    this.current = new Snapshot(host, port, rawSql, null, null);
  }

  void observe(TdsEvent e) {
    Snapshot c = current;
    if (e instanceof TokenEvent && ((TokenEvent) e).token() instanceof EnvChange) {
      EnvChange env = (EnvChange) ((TokenEvent) e).token();
      if (env.envType() == EnvChangeType.DATABASE && env.newValue() != null) {
        current = new Snapshot(c.host, c.port, c.rawSql, env.newValue(), c.clientConnectionId);
      }
    } else if (e instanceof PreloginEvent
        && ((PreloginEvent) e).direction() == Direction.CLIENT_TO_SERVER) {
      PreloginEvent p = (PreloginEvent) e;
      if (p.prelogin().traceId() != null) {
        String id = String.valueOf(p.prelogin().traceId().connectionId());
        current = new Snapshot(c.host, c.port, c.rawSql, c.database, id);
      }
    } else if (e instanceof Login7Event && c.database == null) {
      String requested = ((Login7Event) e).login7().database();
      if (requested != null && !requested.isEmpty()) {
        current = new Snapshot(c.host, c.port, c.rawSql, requested, c.clientConnectionId);
      }
    }
  }

  /** What request and MARS session spans link to: the login span, once it is made. */
  SpanPlan.LinkKey loginLink() {
    return loginLink;
  }

  /** The connection's values now, also for a span made later on another thread. */
  Snapshot snapshot() {
    return current;
  }

  /**
   * The same connection traced again after a pause: what it knew carries over, the rest is learnt
   * anew.
   */
  ConnectionInfo copy() {
    ConnectionInfo c = new ConnectionInfo(current.host, current.port, current.rawSql);
    c.current = current;
    c.loginLink = loginLink;
    return c;
  }

  void loginPlan(SpanPlan plan) {
    this.loginLink = plan.linkKey();
  }

  /** Immutable: the values a span shows of its connection. */
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
