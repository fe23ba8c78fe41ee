package io.couloy.server.command;

import io.couloy.engine.CouloyDB;
import io.couloy.server.pubsub.KeyspaceNotifier;

/** What a handler sees: the server, the client, and the client's selected database. */
public record Context(ServerContext server, Client client) {
    /** The selected database, opened if needed. */
    public CouloyDB db() {
        return server.databases().get(client.db());
    }

    /**
     * A keyspace event about {@code key} in the selected database ({@code type}: a
     * {@link KeyspaceNotifier} class bit). Handlers call it where they change data, as Redis's
     * commands do, so the events and their order are Redis's.
     */
    public void notify(int type, String event, byte[] key) {
        server.notifier().notify(client.db(), type, event, key);
    }

    /** Whether events of this class are wanted: for checks made only to name an event. */
    public boolean notifying(int type) {
        return server.notifier().wants(type);
    }

    /** After a command removed {@code n} elements of {@code key}: its event, then del if that emptied the key. */
    public long notifyRemoved(int type, String event, byte[] key, long n) {
        if (n > 0) {
            notify(type, event, key);
            notifyIfEmptied(key);
        }
        return n;
    }

    /** After removing elements: the {@code del} event Redis fires when that emptied the key. */
    public void notifyIfEmptied(byte[] key) {
        if (notifying(KeyspaceNotifier.GENERIC) && !db().exists(key)) {
            notify(KeyspaceNotifier.GENERIC, "del", key);
        }
    }
}
