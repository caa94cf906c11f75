package io.tdsagent.lab.sql;

import java.util.List;

/** What a query handler may know about, and change in, its session. */
public interface QueryContext {
  String login();

  String database();

  int spid();

  List<String> databases();

  /**
   * Switches the session's database; returns the canonical name, or null if there is no such
   * database.
   */
  String useDatabase(String name);

  /** The text of SELECT @@VERSION. */
  String versionBanner();

  /**
   * Parameters of the statement being run (sp_executesql, sp_prepexec, sp_execute), by lower-case
   * name ("@p0"); empty for a SQL batch.
   */
  default java.util.Map<String, BoundParameter> parameters() {
    return java.util.Map.of();
  }
}
