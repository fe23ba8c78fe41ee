package io.couloy.server.command;

import io.couloy.engine.CouloyDB;
import io.couloy.server.pubsub.KeyspaceNotifier;
import java.util.List;

/**
 * What a handler sees: the server, the client, and the client's selected database.
 *
 * @param newKeys while a write runs with class {@code n} notifications on: its keys that did not
 *     exist before it (their {@code new} event precedes their first event), else null
 */
public record Context(ServerContext server, Client client, java.util.Set<io.couloy.server.pubsub.Name> newKeys) {
    public Context(ServerContext server, Client client) {
        this(server, client, null);
    }

    /**
     * Whether this command's reply goes to the connection as soon as it returns — not into
     * EXEC's array or a script's value — so it may hold pooled memory that writing it frees
     * ({@link io.couloy.server.resp.Reply.EncodedBulks}).
     */
    public boolean replyGoesOut() {
        return !client.nonBlocking();
    }

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
        if (newKeys != null && !newKeys.isEmpty() && newKeys.remove(new io.couloy.server.pubsub.Name(key)) && db().exists(key)) {
            server.notifier().notify(client.db(), KeyspaceNotifier.NEW, "new", key);
        }
        server.notifier().notify(client.db(), type, event, key);
    }

    /**
     * Redis's {@code keymiss} (class m) for each of {@code keys} that is absent: for the lookups a
     * write command makes (its sources), which Redis reports as a read command's keys. Call it
     * where Redis looks them up, before the command's own events.
     */
    public void missed(List<byte[]> keys) {
        if (notifying(KeyspaceNotifier.KEY_MISS)) {
            for (byte[] k : keys) {
                if (!db().exists(k)) {
                    server.notifier().notify(client.db(), KeyspaceNotifier.KEY_MISS, "keymiss", k);
                }
            }
        }
    }

    public void missed(byte[] key) {
        missed(List.of(key));
    }

    /**
     * The {@code new} event (class n) for {@code key} in database {@code db} now: for commands
     * that add a key before their other events, as Redis's RENAME, COPY and MOVE do (they fire it
     * even when the key existed and was replaced, since Redis deletes and adds it).
     */
    public void announceNew(int db, byte[] key) {
        if (notifying(KeyspaceNotifier.NEW)) {
            if (newKeys != null && db == client.db()) {
                newKeys.remove(new io.couloy.server.pubsub.Name(key));
            }
            server.notifier().notify(db, KeyspaceNotifier.NEW, "new", key);
        }
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
