package io.couloy.engine;

import io.couloy.engine.format.RecordType;
import io.couloy.engine.keydir.Location;
import io.couloy.engine.types.Collection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The records one typed write appends, and what to change in memory once they are in the log.
 * Built under the engine's write lock by a type's operation, which reads the current state,
 * stages records and registers index changes; {@link CouloyDB#mutate} then appends them as one
 * record (or one batch with a commit marker) and runs the changes, so a crash keeps all of them
 * or none.
 */
final class Mutation {
    /**
     * A record to append; for a member's record also the collection and index key it changes
     * (one object per record, where a record and a separate member change were two, with a list
     * to hold the changes). Where it landed is filled in by {@link #placed} once encoded.
     */
    static final class Staged {
        final RecordType type;
        final long expiry;
        final byte[] key;
        final byte[] value;
        /** The collection whose member this record sets (MEMBER_PUT) or removes (MEMBER_DELETE), or null. */
        private final Collection c;
        private final byte[] member;
        private int start;
        private int size;

        Staged(RecordType type, long expiry, byte[] key, byte[] value, Collection c, byte[] member) {
            this.type = type;
            this.expiry = expiry;
            this.key = key;
            this.value = value;
            this.c = c;
            this.member = member;
        }
    }

    private record Event(byte[] key, KeyEvent.Kind kind) {}

    // Most writes stage one record and one event: those are held in fields, and lists made only
    // for a second (an LPUSH went from ten allocations here to four, then to two).
    private Staged first;
    private List<Staged> more;
    private List<Runnable> onWritten;
    // The first event in two fields, not an Event: most writes report one.
    private byte[] firstEventKey;
    private KeyEvent.Kind firstEventKind;
    private List<Event> moreEvents;
    private int fileId;
    private long base;

    /** Stages a record of a plain (non-batch) type; returns its index for {@link #offset}. */
    int stage(RecordType type, long expiry, byte[] key, byte[] value) {
        return add(new Staged(type, expiry, key, value, null, null));
    }

    /**
     * Stages a member's record, and the index change it makes once written: a MEMBER_PUT points
     * {@code member} of {@code c} at it (with index data {@code expiry}), a MEMBER_DELETE removes
     * {@code member}.
     */
    int stageMember(RecordType type, long expiry, byte[] key, byte[] value, Collection c, byte[] member) {
        return add(new Staged(type, expiry, key, value, c, member));
    }

    private int add(Staged s) {
        if (first == null) {
            first = s;
            return 0;
        }
        if (more == null) {
            more = new ArrayList<>(4);
        }
        more.add(s);
        return more.size();
    }

    /**
     * Runs {@code change} after the records are appended and member indexes updated, under the
     * write lock, in registration order.
     */
    void then(Runnable change) {
        if (onWritten == null) {
            onWritten = new ArrayList<>(2);
        }
        onWritten.add(change);
    }

    /** Reports a change of {@code key} to watchers and subscribers once written. */
    void event(byte[] key, KeyEvent.Kind kind) {
        if (firstEventKey == null) {
            firstEventKey = key;
            firstEventKind = kind;
            return;
        }
        if (moreEvents == null) {
            moreEvents = new ArrayList<>(2);
        }
        moreEvents.add(new Event(key, kind));
    }

    boolean isEmpty() {
        return first == null;
    }

    /** How many records are staged. */
    int recordCount() {
        return first == null ? 0 : 1 + (more == null ? 0 : more.size());
    }

    /** Staged record {@code i}, in staging order. */
    Staged record(int i) {
        return i == 0 ? first : more.get(i - 1);
    }

    /** Record {@code i} was encoded {@code start} bytes into the commit's bytes, {@code size} long. */
    void placed(int i, int start, int size) {
        Staged r = record(i);
        r.start = start;
        r.size = size;
    }

    /**
     * Applies the in-memory changes once the records are in the log, the commit's bytes at
     * {@code base} of file {@code fileId}. Each collection's member changes land under one lock
     * acquisition, so a reader sees all of them or none; they land before the {@link #then}
     * changes, so a new collection is complete when it becomes visible.
     */
    void written(int fileId, long base, Consumer<Location> dead) {
        this.fileId = fileId;
        this.base = base;
        // In staging order, each collection's changes under one lock hold; nearly always of one
        // collection, so its first record is found at once.
        int n = recordCount();
        for (int i = 0; i < n; i++) {
            Collection c = record(i).c;
            if (c != null && firstRecordOf(c) == i) {
                apply(c, dead);
            }
        }
        if (onWritten != null) {
            onWritten.forEach(Runnable::run);
        }
    }

    private int firstRecordOf(Collection c) {
        int i = 0;
        while (record(i).c != c) {
            i++;
        }
        return i;
    }

    /** Applies the member changes of {@code c}, in staging order. */
    private void apply(Collection c, Consumer<Location> dead) {
        c.members().write(mm -> {
            int n = recordCount();
            for (int i = 0; i < n; i++) {
                Staged r = record(i);
                if (r.c != c) {
                    continue;
                }
                dead.accept(r.type == RecordType.MEMBER_DELETE ? mm.remove(r.member)
                        : mm.put(r.member, fileId, base + r.start, r.size, r.expiry));
            }
        });
    }

    /** Reports the events through {@code sink}. */
    void publish(java.util.function.BiConsumer<byte[], KeyEvent.Kind> sink) {
        if (firstEventKey == null) {
            return;
        }
        sink.accept(firstEventKey, firstEventKind);
        if (moreEvents != null) {
            for (Event e : moreEvents) {
                sink.accept(e.key, e.kind);
            }
        }
    }

    /** The file every record went to (valid in {@link #then} callbacks). */
    int fileId() {
        return fileId;
    }

    long offset(int record) {
        return base + record(record).start;
    }

    int size(int record) {
        return record(record).size;
    }
}
