package io.tdsagent.lab.sql;

import java.util.List;

/** What a query handler may know about, and change in, its session. */
public interface QueryContext {
    String login();

    String database();

    int spid();

    List<String> databases();

    /** Switches the session's database; returns the canonical name, or null if there is no such database. */
    String useDatabase(String name);

    /** The text of SELECT @@VERSION. */
    String versionBanner();
}
