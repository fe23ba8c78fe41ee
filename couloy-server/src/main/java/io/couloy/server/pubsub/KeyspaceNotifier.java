package io.couloy.server.pubsub;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.KeyEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keyspace notifications (notify-keyspace-events): an event published to
 * {@code __keyspace@<db>__:<key>} (class K) and {@code __keyevent@<db>__:<event>} (class E).
 *
 * <p>As in Redis, each command names its own events where it changes data ({@code set},
 * {@code hset}, {@code lpop} then {@code del} when a list empties, {@code rename_from} and
 * {@code rename_to}, ...), through {@link io.couloy.server.command.Context#notify}; they are
 * published before the command replies, in the order the command made its changes.
 * {@code expired} (class x) comes from the engine's change feed when the expiry sweep or a read
 * removes a key, within about 100 ms of its deadline whether or not anyone reads it.
 *
 * <p>{@code new} (class n) is fired before the first event of a key a write created, and
 * {@code keymiss} (class m) after a read command found one of its keys missing, both from the
 * command's key positions. Not yet where Redis fires them at other lookups: keys read inside
 * write commands (BITOP's sources, SORT's BY/GET patterns, GETEX), and the new keys of RENAME,
 * COPY, MOVE and SORT STORE. {@code e} (evicted), {@code t} (streams) and {@code d} (modules)
 * have nothing to fire.
 */
public final class KeyspaceNotifier {
    public static final int KEYSPACE = 1;
    public static final int KEYEVENT = 1 << 1;
    public static final int GENERIC = 1 << 2;
    public static final int STRING = 1 << 3;
    public static final int LIST = 1 << 4;
    public static final int SET = 1 << 5;
    public static final int HASH = 1 << 6;
    public static final int ZSET = 1 << 7;
    public static final int EXPIRED = 1 << 8;
    public static final int EVICTED = 1 << 9;
    public static final int STREAM = 1 << 10;
    public static final int KEY_MISS = 1 << 11;
    public static final int MODULE = 1 << 12;
    public static final int NEW = 1 << 13;
    /** What 'A' stands for: every class but m and n, as in Redis. */
    private static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    /** Class letters in the order Redis prints them, with their bits. */
    private static final String LETTERS = "g$lshzxetdn";
    private static final int[] BITS = {GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM, MODULE, NEW};

    private final PubSub pubsub;
    private volatile int flags;

    public KeyspaceNotifier(PubSub pubsub) {
        this.pubsub = pubsub;
    }

    /** Sets the classes from Redis's letters (notify-keyspace-events); refuses unknown letters. */
    public void flags(String text) {
        this.flags = parse(text);
    }

    /** Redis's class letters as bits; IllegalArgumentException with Redis's text for an unknown letter. */
    public static int parse(String text) {
        int f = 0;
        for (char ch : text.toCharArray()) {
            int i = LETTERS.indexOf(ch);
            f |= switch (ch) {
                case 'A' -> ALL;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 'm' -> KEY_MISS;
                default -> {
                    if (i < 0) {
                        throw new IllegalArgumentException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                    }
                    yield BITS[i];
                }
            };
        }
        return f;
    }

    /** The setting as Redis prints it: 'A' for all classes, then K, E, m. */
    public String flags() {
        int f = flags;
        StringBuilder sb = new StringBuilder();
        if ((f & ALL) == ALL) {
            sb.append('A'); // n is not printed after A: Redis drops it too
        } else {
            for (int i = 0; i < BITS.length; i++) {
                if ((f & BITS[i]) != 0) {
                    sb.append(LETTERS.charAt(i));
                }
            }
        }
        if ((f & KEYSPACE) != 0) {
            sb.append('K');
        }
        if ((f & KEYEVENT) != 0) {
            sb.append('E');
        }
        if ((f & KEY_MISS) != 0) {
            sb.append('m');
        }
        return sb.toString();
    }

    /** Whether events of this class are published: lets a command skip work done only to name events. */
    public boolean wants(int type) {
        int f = flags;
        return (f & type) != 0 && (f & (KEYSPACE | KEYEVENT)) != 0;
    }


    /** Publishes {@code event} about {@code key} of database {@code db} if its class is enabled. */
    public void notify(int db, int type, String event, byte[] key) {
        int f = flags;
        if ((f & type) == 0) {
            return;
        }
        if ((f & KEYSPACE) != 0) {
            byte[] prefix = ("__keyspace@" + db + "__:").getBytes(StandardCharsets.US_ASCII);
            byte[] channel = Arrays.copyOf(prefix, prefix.length + key.length);
            System.arraycopy(key, 0, channel, prefix.length, key.length);
            pubsub.publish(channel, event.getBytes(StandardCharsets.US_ASCII));
        }
        if ((f & KEYEVENT) != 0) {
            pubsub.publish(("__keyevent@" + db + "__:" + event).getBytes(StandardCharsets.US_ASCII), key);
        }
    }

    /** Starts forwarding the expirations of database {@code index}. */
    public void watch(int index, CouloyDB db) {
        // Only expirations, and only while someone asked for them: other writes queue nothing.
        db.subscribe(new byte[0], (key, kind) -> kind == KeyEvent.Kind.EXPIRED && wants(EXPIRED),
                e -> notify(index, EXPIRED, "expired", e.key()));
    }
}
