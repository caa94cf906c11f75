package io.tdsagent.lab.login;

import io.tdsagent.lab.token.ServerMessage;
import java.util.Collections;
import java.util.List;

/** Result of checking a LOGIN7: the session's login and database, or the errors to send before closing. */
public final class LoginOutcome {
    private final String login;
    private final String database;
    private final List<ServerMessage> errors;

    private LoginOutcome(String login, String database, List<ServerMessage> errors) {
        this.login = login;
        this.database = database;
        this.errors = errors;
    }

    public static LoginOutcome success(String login, String database) {
        return new LoginOutcome(login, database, Collections.emptyList());
    }

    public static LoginOutcome failure(ServerMessage... errors) {
        return new LoginOutcome(null, null, List.of(errors));
    }

    public boolean succeeded() {
        return errors.isEmpty();
    }

    public String login() { return login; }
    public String database() { return database; }
    public List<ServerMessage> errors() { return errors; }
}
