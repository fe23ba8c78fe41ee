package io.couloy.engine;

import io.couloy.engine.format.MemberKey;
import io.couloy.engine.types.Collection;
import io.couloy.engine.types.ListIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Redis's list operations (LPUSH, LPOP, LRANGE, ...) on a {@link CouloyDB}. Get one with
 * {@link CouloyDB#lists()}; it holds no state of its own.
 *
 * <p>Storage: each element is one record (key, collection id, an 8-byte sequence number, the
 * element); memory holds 20 bytes per element (sequence number and position), never the
 * elements. Pushes and pops at either end are O(1) and append one record per element; LINDEX
 * and LSET are O(1) plus one read; LRANGE reads each element returned. LINSERT, LREM and LPOS
 * compare elements and so read them from disk, O(n) as in Redis; LINSERT writes one record
 * unless the gap between the two neighbours is used up (after about 20 inserts at one place),
 * when the list is rewritten with fresh gaps. A list whose last element is removed is deleted.
 *
 * <p>Indexes are 0-based; negative ones count from the tail (-1 is the last element), as in
 * Redis. Operations on a key holding another type throw {@link WrongTypeException}; a missing
 * key is an empty list.
 */
public final class Lists {
    /** An end of a list. */
    public enum End { LEFT, RIGHT }

    private final CouloyDB db;

    Lists(CouloyDB db) {
        this.db = db;
    }

    /** LPUSH: inserts each element at the head in turn (so the last given ends first); returns the new length. */
    public long pushLeft(byte[] key, List<byte[]> elements) {
        return push(key, elements, End.LEFT, true);
    }

    /** RPUSH: appends each element at the tail; returns the new length. */
    public long pushRight(byte[] key, List<byte[]> elements) {
        return push(key, elements, End.RIGHT, true);
    }

    /** LPUSHX: as {@link #pushLeft} only if the list exists; returns the new length, 0 if it does not. */
    public long pushLeftIfExists(byte[] key, List<byte[]> elements) {
        return push(key, elements, End.LEFT, false);
    }

    /** RPUSHX: as {@link #pushRight} only if the list exists. */
    public long pushRightIfExists(byte[] key, List<byte[]> elements) {
        return push(key, elements, End.RIGHT, false);
    }

    private long push(byte[] key, List<byte[]> elements, End end, boolean create) {
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("no elements given");
        }
        return db.mutateLong(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.LIST, create);
            if (c == null) {
                return 0L;
            }
            ListIndex list = c.list();
            ListIndex.Ends ends = list.ends();
            long n = ends.count();
            long first = ends.first();
            long last = n == 0 ? -ListIndex.STEP : ends.last();
            if (n == 0 && end == End.LEFT) {
                first = ListIndex.STEP;
            }
            long room = end == End.LEFT ? first - (Long.MIN_VALUE / 2) : (Long.MAX_VALUE / 2) - last;
            if (room / ListIndex.STEP <= elements.size()) {
                // Sequence numbers ran out at this end: rewrite the list with fresh ones.
                List<byte[]> all = values(key, c, 0, n - 1);
                if (end == End.LEFT) {
                    List<byte[]> reversed = new ArrayList<>(elements);
                    java.util.Collections.reverse(reversed);
                    reversed.addAll(all);
                    all = reversed;
                } else {
                    all.addAll(elements);
                }
                rewrite(m, key, all);
                return all.size();
            }
            for (byte[] e : elements) {
                long seq = end == End.LEFT ? (first -= ListIndex.STEP) : (last += ListIndex.STEP);
                db.putListElement(m, key, c, seq, Objects.requireNonNull(e, "element"));
            }
            m.event(key, KeyEvent.Kind.UPDATED);
            return n + elements.size();
        });
    }

    /** LPOP / RPOP with a count: removes and returns up to {@code count} elements from one end. */
    public List<byte[]> pop(byte[] key, End end, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        return db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.LIST, false);
            List<byte[]> out = new ArrayList<>();
            if (c == null || count == 0) {
                return out;
            }
            long n = c.list().size();
            long take = Math.min(count, n);
            List<ListIndex.Element> chosen = end == End.LEFT ? c.list().range(0, take - 1)
                    : c.list().range(n - take, n - 1).reversed();
            boolean all = take >= n;
            for (ListIndex.Element e : chosen) {
                // One record key per element, for its read and for its delete record.
                byte[] member = ListIndex.seqKey(e.seq());
                byte[] recordKey = MemberKey.encode(key, c.id(), member);
                out.add(value(key, c, e, recordKey));
                if (!all) {
                    db.removeMemberRecord(m, recordKey, c, member);
                }
            }
            if (all) {
                db.deleteKey(m, key);
            } else {
                m.event(key, KeyEvent.Kind.UPDATED);
            }
            return out;
        });
    }

    /** LPOP / RPOP without a count: the element removed, or null if the list is empty. */
    public byte[] pop(byte[] key, End end) {
        List<byte[]> one = pop(key, end, 1);
        return one.isEmpty() ? null : one.get(0);
    }

    /** LLEN. O(1). */
    public long length(byte[] key) {
        Collection c = db.collection(key, KeyType.LIST);
        return c == null ? 0 : c.list().size();
    }

    /** LINDEX: the element at {@code index}, or null if out of range. */
    public byte[] index(byte[] key, long index) {
        Collection c = db.collection(key, KeyType.LIST);
        if (c == null) {
            return null;
        }
        long n = c.list().size();
        ListIndex.Element e = c.list().at(index < 0 ? n + index : index);
        return e == null ? null : value(key, c, e);
    }

    /** LRANGE: elements {@code start} to {@code stop} inclusive, clamped to the list as Redis does. */
    public List<byte[]> range(byte[] key, long start, long stop) {
        return rangePacked(key, start, stop).toList();
    }

    /**
     * LRANGE, its values packed in one array: for a caller that copies them on at once (a server
     * writing its reply), which saves an array per element.
     */
    public PackedValues rangePacked(byte[] key, long start, long stop) {
        Collection c = db.collection(key, KeyType.LIST);
        long[] r = c == null ? null : clamp(start, stop, c.list().size());
        return r == null ? new PackedValues(0, 0) : packed(key, c, r[0], r[1]);
    }

    /** The elements {@code from} to {@code to} (clamped), in a list of their own. */
    private List<byte[]> values(byte[] key, Collection c, long from, long to) {
        return packed(key, c, from, to).toList();
    }

    private PackedValues packed(byte[] key, Collection c, long from, long to) {
        ListIndex.Span span = c.list().span(from, to);
        PackedValues out = new PackedValues(span.length(), spanBytes(span));
        // One record key for the whole range: the elements differ only in its last 8 bytes.
        byte[] recordKey = MemberKey.encode(key, c.id(), new byte[8]);
        db.listValues(key, c, span, recordKey, recordKey.length - 8, out);
        return out;
    }

    private static int spanBytes(ListIndex.Span span) {
        long total = 0;
        for (int size : span.sizes()) {
            total += size;
        }
        return (int) Math.min(total + 256, 1 << 20);
    }

    /** Redis's index clamping (LRANGE, ZRANGE, LTRIM): null if the range is empty. */
    static long[] clamp(long start, long stop, long n) {
        if (start < 0) {
            start = Math.max(0, n + start);
        }
        if (stop < 0) {
            stop = n + stop;
        }
        if (stop >= n) {
            stop = n - 1;
        }
        return start > stop || start >= n ? null : new long[] {start, stop};
    }

    /**
     * LSET.
     *
     * @throws InvalidValueException "no such key" or "index out of range", Redis's errors
     */
    public void set(byte[] key, long index, byte[] element) {
        Objects.requireNonNull(element, "element");
        db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.LIST, false);
            if (c == null) {
                throw new InvalidValueException("no such key");
            }
            long n = c.list().size();
            ListIndex.Element e = c.list().at(index < 0 ? n + index : index);
            if (e == null) {
                throw new InvalidValueException("index out of range");
            }
            db.putListElement(m, key, c, e.seq(), element);
            m.event(key, KeyEvent.Kind.UPDATED);
            return null;
        });
    }

    /**
     * LINSERT: inserts {@code element} before (or after) the first element equal to
     * {@code pivot}. Returns the new length, -1 if the pivot is absent, 0 if the key is.
     */
    public long insert(byte[] key, boolean before, byte[] pivot, byte[] element) {
        Objects.requireNonNull(element, "element");
        return db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.LIST, false);
            if (c == null) {
                return 0L;
            }
            ListIndex list = c.list();
            long n = list.size();
            long at = -1;
            for (long i = 0; i < n; i++) {
                if (Arrays.equals(value(key, c, list.at(i)), pivot)) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                return -1L;
            }
            long pos = before ? at : at + 1; // the new element's index
            long lower = pos == 0 ? list.at(0).seq() - 2 * ListIndex.STEP : list.at(pos - 1).seq();
            long upper = pos == n ? list.at(n - 1).seq() + 2 * ListIndex.STEP : list.at(pos).seq();
            if (upper - lower >= 2) {
                db.putListElement(m, key, c, lower + (upper - lower) / 2, element);
                m.event(key, KeyEvent.Kind.UPDATED);
            } else {
                List<byte[]> all = values(key, c, 0, n - 1);
                all.add((int) pos, element);
                rewrite(m, key, all);
            }
            return n + 1;
        });
    }

    /**
     * LREM: removes up to |count| elements equal to {@code element}, from the head if count > 0,
     * from the tail if count < 0, all if 0. Returns how many were removed.
     */
    public long remove(byte[] key, long count, byte[] element) {
        return db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.LIST, false);
            if (c == null) {
                return 0L;
            }
            long n = c.list().size();
            long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
            List<ListIndex.Element> matching = new ArrayList<>();
            for (long k = 0; k < n && matching.size() < limit; k++) {
                ListIndex.Element e = c.list().at(count < 0 ? n - 1 - k : k);
                if (Arrays.equals(value(key, c, e), element)) {
                    matching.add(e);
                }
            }
            removeElements(m, key, c, matching);
            return (long) matching.size();
        });
    }

    /** LTRIM: keeps only elements {@code start} to {@code stop} (clamped as in LRANGE); removes the key if none remain. */
    public void trim(byte[] key, long start, long stop) {
        db.mutate(m -> {
            Collection c = db.collectionForWrite(m, key, KeyType.LIST, false);
            if (c == null) {
                return null;
            }
            long n = c.list().size();
            long[] keep = clamp(start, stop, n);
            List<ListIndex.Element> drop = new ArrayList<>();
            if (keep == null) {
                drop = c.list().range(0, n - 1);
            } else {
                drop.addAll(c.list().range(0, keep[0] - 1));
                drop.addAll(c.list().range(keep[1] + 1, n - 1));
            }
            removeElements(m, key, c, drop);
            return null;
        });
    }

    /**
     * LPOS: indexes of elements equal to {@code element}. {@code rank} (not 0) picks the first
     * match to return (negative: counting from the tail); at most {@code count} indexes (0: all);
     * at most {@code maxLength} elements compared (0: all).
     */
    public List<Long> positions(byte[] key, byte[] element, long rank, long count, long maxLength) {
        if (rank == 0 || rank == Long.MIN_VALUE) {
            throw new IllegalArgumentException("rank must be a non-zero integer that can be negated");
        }
        Collection c = db.collection(key, KeyType.LIST);
        List<Long> out = new ArrayList<>();
        if (c == null) {
            return out;
        }
        long n = c.list().size();
        long skip = Math.abs(rank) - 1;
        long compared = 0;
        for (long k = 0; k < n && (maxLength == 0 || compared < maxLength); k++, compared++) {
            long i = rank > 0 ? k : n - 1 - k;
            ListIndex.Element e = c.list().at(i);
            if (e == null) {
                break; // shortened meanwhile
            }
            byte[] v = db.memberValue(key, c, ListIndex.seqKey(e.seq()));
            if (v != null && Arrays.equals(v, element)) {
                if (skip > 0) {
                    skip--;
                } else {
                    out.add(i);
                    if (count != 0 && out.size() >= count) {
                        break;
                    }
                }
            }
        }
        return out;
    }

    /**
     * LMOVE (and RPOPLPUSH): pops an element from {@code from}'s end of {@code source} and pushes
     * it at {@code to}'s end of {@code destination}, atomically; null if the source is empty.
     */
    public byte[] move(byte[] source, byte[] destination, End from, End to) {
        return db.mutate(m -> {
            Collection src = db.collectionForWrite(m, source, KeyType.LIST, false);
            db.collection(destination, KeyType.LIST); // Redis refuses a wrong destination type first
            if (src == null) {
                return null;
            }
            long n = src.list().size();
            ListIndex.Element e = src.list().at(from == End.LEFT ? 0 : n - 1);
            byte[] v = value(source, src, e);
            if (Arrays.equals(source, destination)) {
                if (n == 1 || from == to) {
                    return v; // a one-element rotation, or popping and pushing back at the same end
                }
                removeElements(m, source, src, List.of(e));
                long seq = to == End.LEFT ? src.list().at(0).seq() - ListIndex.STEP
                        : src.list().at(n - 1).seq() + ListIndex.STEP;
                db.putListElement(m, source, src, seq, v);
                return v;
            }
            removeElements(m, source, src, List.of(e));
            Collection dst = db.collectionForWrite(m, destination, KeyType.LIST, true);
            long dn = dst.list().size();
            long seq = dn == 0 ? 0 : to == End.LEFT ? dst.list().at(0).seq() - ListIndex.STEP
                    : dst.list().at(dn - 1).seq() + ListIndex.STEP;
            db.putListElement(m, destination, dst, seq, v);
            m.event(destination, KeyEvent.Kind.UPDATED);
            return v;
        });
    }

    /** Stages removing {@code elements} of {@code c}; deletes the key if that empties it. */
    private void removeElements(Mutation m, byte[] key, Collection c, List<ListIndex.Element> elements) {
        if (elements.isEmpty()) {
            return;
        }
        if (elements.size() >= c.list().size()) {
            db.deleteKey(m, key);
            return;
        }
        for (ListIndex.Element e : elements) {
            db.removeListElement(m, key, c, e.seq());
        }
        m.event(key, KeyEvent.Kind.UPDATED);
    }

    /** Stages the list {@code elements} as a new incarnation of {@code key}, keeping its expiry. */
    private void rewrite(Mutation m, byte[] key, List<byte[]> elements) {
        Collection fresh = db.createCollection(m, key, KeyType.LIST, db.expiryOf(key));
        long seq = -(elements.size() / 2) * ListIndex.STEP;
        for (byte[] e : elements) {
            db.putListElement(m, key, fresh, seq, e);
            seq += ListIndex.STEP;
        }
        m.event(key, KeyEvent.Kind.UPDATED);
    }

    /** Under the write lock: the element's value, which must be there. */
    private byte[] value(byte[] key, Collection c, ListIndex.Element e) {
        return value(key, c, e, MemberKey.encode(key, c.id(), ListIndex.seqKey(e.seq())));
    }

    /** As {@link #value(byte[], Collection, ListIndex.Element)}, with the element's record key made. */
    private byte[] value(byte[] key, Collection c, ListIndex.Element e, byte[] recordKey) {
        // The location just read from the index: no second look-up (a binary search) by sequence number.
        byte[] v = db.memberValueAt(key, c, recordKey, recordKey.length - Long.BYTES, e.location());
        if (v == null) {
            throw new IllegalStateException("list element " + e.seq() + " vanished under the write lock");
        }
        return v;
    }
}
