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

    // Most writes stage one record and touch no collection: allocate the rest on first use.
    private final List<Staged> records = new ArrayList<>(2);
    /** In staging order; nearly always of one collection, so no map by collection up front. */
    private List<MemberChange> memberChanges;
    private final List<Runnable> onWritten = new ArrayList<>(2);
    private List<Event> events;
    private int fileId;
    private long[] offsets;
    private int[] sizes;

    /** Stages a record of a plain (non-batch) type; returns its index for {@link #offset}. */
    int stage(RecordType type, long expiry, byte[] key, byte[] value) {
        records.add(new Staged(type, expiry, key, value));
        return records.size() - 1;
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
        onWritten.add(change);
    }

    /** Reports a change of {@code key} to watchers and subscribers once written. */
    void event(byte[] key, KeyEvent.Kind kind) {
        if (events == null) {
            events = new ArrayList<>(2);
        }
        events.add(new Event(key, kind));
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    List<Staged> records() {
        return records;
    }

    /**
     * Applies the in-memory changes once the records are in the log. Each collection's member
     * changes land under one lock acquisition, so a reader sees all of them or none; they land
     * before the {@link #then} changes, so a new collection is complete when it becomes visible.
     */
    void written(int fileId, long[] offsets, int[] sizes, Consumer<Location> dead) {
        this.fileId = fileId;
        this.offsets = offsets;
        this.sizes = sizes;
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
        onWritten.forEach(Runnable::run);
    }

    private void apply(Collection c, List<MemberChange> changes, Consumer<Location> dead) {
        c.members().write(mm -> {
            for (MemberChange ch : changes) {
                dead.accept(ch.record < 0 ? mm.remove(ch.member)
                        : mm.put(ch.member, fileId, offsets[ch.record], sizes[ch.record], ch.aux));
            }
        });
    }

    /** Reports the events through {@code sink}. */
    void publish(java.util.function.BiConsumer<byte[], KeyEvent.Kind> sink) {
        if (events == null) {
            return;
        }
        for (Event e : events) {
            sink.accept(e.key, e.kind);
        }
    }

    /** The file every record went to (valid in {@link #then} callbacks). */
    int fileId() {
        return fileId;
    }

    long offset(int record) {
        return offsets[record];
    }

    int size(int record) {
        return sizes[record];
    }
}
