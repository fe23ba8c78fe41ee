package io.couloy.engine;

import io.couloy.engine.format.RecordType;
import io.couloy.engine.keydir.Location;
import io.couloy.engine.types.Collection;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The records one typed write appends, and what to change in memory once they are in the log.
 * Built under the engine's write lock by a type's operation, which reads the current state,
 * stages records and registers index changes; {@link CouloyDB#mutate} then appends them as one
 * record (or one batch with a commit marker) and runs the changes, so a crash keeps all of them
 * or none.
 */
final class Mutation {
    record Staged(RecordType type, long expiry, byte[] key, byte[] value) {}

    private record Event(byte[] key, KeyEvent.Kind kind) {}

    /** A member of {@code c} set from record {@code record} with index data {@code aux}, or removed if {@code record} is -1. */
    private record MemberChange(Collection c, byte[] member, int record, long aux) {}

    // Most writes stage one record and one event: those are held in fields, and lists made only
    // for a second (an LPUSH went from ten allocations here to four).
    private Staged first;
    private List<Staged> more;
    /** In staging order; nearly always of one collection, so no map by collection up front. */
    private List<MemberChange> memberChanges;
    private List<Runnable> onWritten;
    private Event firstEvent;
    private List<Event> moreEvents;
    private int fileId;
    private long base;
    private int[] starts;

    /** Stages a record of a plain (non-batch) type; returns its index for {@link #offset}. */
    int stage(RecordType type, long expiry, byte[] key, byte[] value) {
        Staged s = new Staged(type, expiry, key, value);
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

    /** Points {@code member} of {@code c} at staged record {@code record} once written. */
    void memberPut(Collection c, byte[] member, int record, long aux) {
        memberChanges().add(new MemberChange(c, member, record, aux));
    }

    /** Removes {@code member} from {@code c}'s index once written. */
    void memberRemove(Collection c, byte[] member) {
        memberChanges().add(new MemberChange(c, member, -1, 0));
    }

    private List<MemberChange> memberChanges() {
        if (memberChanges == null) {
            memberChanges = new ArrayList<>(2);
        }
        return memberChanges;
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
        Event e = new Event(key, kind);
        if (firstEvent == null) {
            firstEvent = e;
            return;
        }
        if (moreEvents == null) {
            moreEvents = new ArrayList<>(2);
        }
        moreEvents.add(e);
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

    /**
     * Applies the in-memory changes once the records are in the log. Each collection's member
     * changes land under one lock acquisition, so a reader sees all of them or none; they land
     * before the {@link #then} changes, so a new collection is complete when it becomes visible.
     * Record {@code i} was written at {@code base + starts[i]} and is {@code starts[i + 1] - starts[i]} bytes.
     */
    void written(int fileId, long base, int[] starts, Consumer<Location> dead) {
        this.fileId = fileId;
        this.base = base;
        this.starts = starts;
        if (memberChanges != null) {
            Collection only = memberChanges.get(0).c;
            boolean one = true;
            for (MemberChange ch : memberChanges) {
                one &= ch.c == only;
            }
            if (one) {
                apply(only, memberChanges, dead);
            } else {
                Map<Collection, List<MemberChange>> byCollection = new IdentityHashMap<>();
                for (MemberChange ch : memberChanges) {
                    byCollection.computeIfAbsent(ch.c, x -> new ArrayList<>()).add(ch);
                }
                byCollection.forEach((c, changes) -> apply(c, changes, dead));
            }
        }
        if (onWritten != null) {
            onWritten.forEach(Runnable::run);
        }
    }

    private void apply(Collection c, List<MemberChange> changes, Consumer<Location> dead) {
        c.members().write(mm -> {
            for (MemberChange ch : changes) {
                dead.accept(ch.record < 0 ? mm.remove(ch.member)
                        : mm.put(ch.member, fileId, offset(ch.record), size(ch.record), ch.aux));
            }
        });
    }

    /** Reports the events through {@code sink}. */
    void publish(java.util.function.BiConsumer<byte[], KeyEvent.Kind> sink) {
        if (firstEvent == null) {
            return;
        }
        sink.accept(firstEvent.key, firstEvent.kind);
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
        return base + starts[record];
    }

    int size(int record) {
        return starts[record + 1] - starts[record];
    }
}
