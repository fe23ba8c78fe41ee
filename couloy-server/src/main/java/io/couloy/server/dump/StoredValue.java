package io.couloy.server.dump;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.Hashes;
import io.couloy.engine.Isolation;
import io.couloy.engine.KeyType;
import io.couloy.engine.TxnOptions;
import io.couloy.engine.ZSets;
import java.util.List;

/**
 * A whole key's value, read out of one database to be written into another (MOVE, COPY ... DB) or
 * serialized (DUMP / RESTORE). Each type holds its elements in memory, so it is for one key at a
 * time, as Redis's DUMP is.
 */
public sealed interface StoredValue {
    record Str(byte[] value) implements StoredValue {}

    record ListValue(List<byte[]> elements) implements StoredValue {}

    record SetValue(List<byte[]> members) implements StoredValue {}

    record HashValue(List<Hashes.FieldValue> fields) implements StoredValue {}

    record ZSetValue(List<ZSets.Entry> entries) implements StoredValue {}

    /** The value of {@code key}, or null if there is none. */
    static StoredValue read(CouloyDB db, byte[] key) {
        KeyType t = db.type(key);
        if (t == null) {
            return null;
        }
        return switch (t) {
            case STRING -> new Str(db.get(key));
            case LIST -> new ListValue(db.lists().range(key, 0, -1));
            case SET -> new SetValue(db.sets().members(key));
            case HASH -> new HashValue(db.hashes().entries(key));
            case ZSET -> new ZSetValue(db.zsets().rangeByRank(key, 0, -1, false));
        };
    }

    /**
     * Replaces {@code key} in {@code db} with this value and expiry ({@code expireAtMillis} 0: none),
     * as one engine commit group: a crash keeps the old value or the whole new one.
     */
    default void writeTo(CouloyDB db, byte[] key, long expireAtMillis) {
        StoredValue v = this;
        db.update(new TxnOptions(Isolation.READ_COMMITTED, 0), txn -> {
            txn.queue(d -> d.delete(key));
            txn.queue(d -> {
                switch (v) {
                    case Str s -> d.put(key, s.value());
                    case ListValue l -> d.lists().pushRight(key, l.elements());
                    case SetValue s -> d.sets().add(key, s.members());
                    case HashValue h -> d.hashes().set(key, h.fields());
                    case ZSetValue z -> d.zsets().add(key, z.entries(), ZSets.AddOptions.NONE);
                }
                return null;
            });
            if (expireAtMillis != 0) {
                txn.queue(d -> d.expireAt(key, expireAtMillis));
            }
            return null;
        });
    }
}
