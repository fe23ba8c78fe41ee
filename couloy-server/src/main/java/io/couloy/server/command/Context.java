package io.couloy.server.command;

import io.couloy.engine.CouloyDB;

/** What a handler sees: the server, the client, and the client's selected database. */
public record Context(ServerContext server, Client client) {
    /** The selected database, opened if needed. */
    public CouloyDB db() {
        return server.databases().get(client.db());
    }
}
