package io.couloy.server.pubsub;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.KeyEvent;
import java.nio.charset.StandardCharsets;

/**
 * Keyspace notifications (notify-keyspace-events), from the engine's change feed: each
 * database's committed changes arrive in commit order on the feed's own thread and are published
 * to {@code __keyspace@<db>__:<key>} (class K) and {@code __keyevent@<db>__:<event>} (class E).
 *
 * <p>So far the events whose name the feed knows for sure: {@code expired} (class x, fired when
 * the expiry sweep removes a key, within about 100 ms, whether or not anyone reads it) and
 * {@code del} (class g). Command-specific events (set, hset, lpush, ...) need the command's name
 * and come with the command table's post-write hook.
 */
public final class KeyspaceNotifier {
    private final PubSub pubsub;
    private volatile String flags = "";

    public KeyspaceNotifier(PubSub pubsub) {
        this.pubsub = pubsub;
    }

    /** CONFIG SET notify-keyspace-events: Redis's class letters; refuses unknown ones. */
    public void flags(String f) {
        for (char ch : f.toCharArray()) {
            if ("KEg$lshzxetmdnA".indexOf(ch) < 0) {
                throw new IllegalArgumentException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            }
        }
        this.flags = f;
    }

    public String flags() {
        return flags;
    }

    /** Starts forwarding the changes of database {@code index}. */
    public void watch(int index, CouloyDB db) {
        db.subscribe(new byte[0], e -> publish(index, e));
    }

    private void publish(int db, KeyEvent e) {
        String f = flags;
        if (f.isEmpty()) {
            return;
        }
        char cls;
        String name;
        switch (e.kind()) {
            case EXPIRED -> {
                cls = 'x';
                name = "expired";
            }
            case DELETED -> {
                cls = 'g';
                name = "del";
            }
            default -> {
                return;
            }
        }
        boolean all = f.indexOf('A') >= 0;
        if (!all && f.indexOf(cls) < 0) {
            return;
        }
        byte[] event = name.getBytes(StandardCharsets.US_ASCII);
        if (f.indexOf('K') >= 0) {
            pubsub.publish(concat(("__keyspace@" + db + "__:").getBytes(StandardCharsets.US_ASCII), e.key()), event);
        }
        if (f.indexOf('E') >= 0) {
            pubsub.publish(("__keyevent@" + db + "__:" + name).getBytes(StandardCharsets.US_ASCII), e.key());
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
