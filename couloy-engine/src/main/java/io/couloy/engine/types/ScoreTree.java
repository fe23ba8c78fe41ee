package io.couloy.engine.types;

import java.util.Arrays;

/**
 * The order of a sorted set: (score, member) pairs sorted by score, then by member bytes
 * (unsigned), as Redis orders them, in a B+tree whose inner nodes count the entries under each
 * child, so rank and select are O(log n) like Redis's skiplist spans.
 *
 * <pre>
 * leaf : up to 64 x (score f64, member handle u64)   16 bytes per entry; the member's bytes stay
 *                                                     where {@link Members} keeps them
 * inner: up to 64 x (separator score, separator member copy, child, count)
 * </pre>
 *
 * Leaves name members by handle (the member index's arena address), so each member's bytes are
 * held once; inner nodes copy their separators, since the entry a separator came from may be
 * removed while the separator still routes. A leaf that overflows at the end of the order keeps
 * its entries and starts a new leaf, so ascending loads (timestamps, counters) fill leaves
 * instead of leaving them half empty. Deletion drops empty nodes but does not merge half-empty
 * ones; a node holds at least one entry, so memory stays bounded by the entries. Not
 * thread-safe: {@link ZSetIndex} locks.
 */
final class ScoreTree {
    private static final int FANOUT = 64;

    /** Where a handle's member bytes are: {@code array[start, start + length)}. */
    interface Members {
        byte[] array(long handle);

        int start(long handle);

        int length(long handle);
    }

    /** Decides, for each entry in order, whether it lies before a bound; true for a prefix of the order. */
    @FunctionalInterface
    interface Before {
        boolean test(double score, byte[] member, int start, int length);
    }

    /** Receives entries in order; returns false to stop. */
    @FunctionalInterface
    interface Visitor {
        boolean visit(double score, long handle);
    }

    private abstract static sealed class Node permits Leaf, Inner {
        int n;
    }

    private static final class Leaf extends Node {
        final double[] scores = new double[FANOUT];
        final long[] handles = new long[FANOUT];
        Leaf prev;
        Leaf next;
    }

    /** kids[0..n); separator i (1 &le; i &lt; n) is &le; every entry under kids[i] and &gt; every entry under kids[i-1]. */
    private static final class Inner extends Node {
        final double[] sepScores = new double[FANOUT + 1];
        final byte[][] sepMembers = new byte[FANOUT + 1][];
        final Node[] kids = new Node[FANOUT + 1];
        final long[] counts = new long[FANOUT + 1];
    }

    private final Members members;
    private Node root = new Leaf();
    private long size;
    private long leaves = 1;
    private long inners;
    private long separatorBytes;

    ScoreTree(Members members) {
        this.members = members;
    }

    static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        return compare(s1, m1, 0, m1.length, s2, m2);
    }

    static int compare(double s1, byte[] m1, int start, int length, double s2, byte[] m2) {
        if (s1 < s2) {
            return -1;
        }
        if (s1 > s2) {
            return 1;
        }
        return Arrays.compareUnsigned(m1, start, start + length, m2, 0, m2.length);
    }

    private int compareEntry(Leaf leaf, int i, double score, byte[] member) {
        long h = leaf.handles[i];
        return compare(leaf.scores[i], members.array(h), members.start(h), members.length(h), score, member);
    }

    private byte[] copyMember(long h) {
        int start = members.start(h);
        return Arrays.copyOfRange(members.array(h), start, start + members.length(h));
    }

    long size() {
        return size;
    }

    /** Heap bytes of the nodes and separator copies (members themselves are counted with the member index). */
    long memoryBytes() {
        return leaves * (32L + 2 * (16 + 8L * FANOUT)) + inners * (24L + 4 * (16 + 8L * (FANOUT + 1))) + separatorBytes;
    }

    private byte[] separator(long h) {
        byte[] copy = copyMember(h);
        separatorBytes += 16 + ((copy.length + 7) & ~7);
        return copy;
    }

    private void dropSeparator(byte[] sep) {
        if (sep != null) {
            separatorBytes -= 16 + ((sep.length + 7) & ~7);
        }
    }

    // ---- insert ----

    /** Adds an entry that is not present; {@code handle} names {@code member}'s bytes in {@link Members}. */
    void insert(double score, byte[] member, long handle) {
        Object split = insert(root, score, member, handle);
        if (split != null) {
            Object[] s = (Object[]) split;
            Inner r = new Inner();
            r.kids[0] = root;
            r.counts[0] = count(root);
            r.kids[1] = (Node) s[2];
            r.counts[1] = count(r.kids[1]);
            r.sepScores[1] = (double) s[0];
            r.sepMembers[1] = (byte[]) s[1];
            r.n = 2;
            root = r;
            inners++;
        }
        size++;
    }

    private static long count(Node node) {
        if (node instanceof Leaf l) {
            return l.n;
        }
        Inner in = (Inner) node;
        long c = 0;
        for (int i = 0; i < in.n; i++) {
            c += in.counts[i];
        }
        return c;
    }

    /** Returns null, or {separator score, separator member, new right node} if {@code node} split. */
    private Object insert(Node node, double score, byte[] member, long handle) {
        if (node instanceof Leaf leaf) {
            int at = leafPosition(leaf, score, member);
            if (leaf.n < FANOUT) {
                leafInsertAt(leaf, at, score, handle);
                return null;
            }
            Leaf right = new Leaf();
            leaves++;
            // At the very end (or start) of the order, split off just the new entry: loads in
            // score order then leave full leaves behind them.
            int keep = at == FANOUT && leaf.next == null ? FANOUT : at == 0 && leaf.prev == null ? 0 : FANOUT / 2;
            System.arraycopy(leaf.scores, keep, right.scores, 0, FANOUT - keep);
            System.arraycopy(leaf.handles, keep, right.handles, 0, FANOUT - keep);
            right.n = FANOUT - keep;
            leaf.n = keep;
            right.next = leaf.next;
            if (right.next != null) {
                right.next.prev = right;
            }
            right.prev = leaf;
            leaf.next = right;
            if (at < keep || (at == keep && keep < FANOUT)) {
                leafInsertAt(leaf, at, score, handle);
            } else {
                leafInsertAt(right, at - keep, score, handle);
            }
            return new Object[] {right.scores[0], separator(right.handles[0]), right};
        }
        Inner in = (Inner) node;
        int i = childFor(in, score, member);
        in.counts[i]++;
        Object split = insert(in.kids[i], score, member, handle);
        if (split == null) {
            return null;
        }
        Object[] s = (Object[]) split;
        Node newKid = (Node) s[2];
        // the split moved part of kids[i] into newKid
        long moved = count(newKid);
        in.counts[i] -= moved;
        System.arraycopy(in.kids, i + 1, in.kids, i + 2, in.n - i - 1);
        System.arraycopy(in.counts, i + 1, in.counts, i + 2, in.n - i - 1);
        System.arraycopy(in.sepScores, i + 1, in.sepScores, i + 2, in.n - i - 1);
        System.arraycopy(in.sepMembers, i + 1, in.sepMembers, i + 2, in.n - i - 1);
        in.kids[i + 1] = newKid;
        in.counts[i + 1] = moved;
        in.sepScores[i + 1] = (double) s[0];
        in.sepMembers[i + 1] = (byte[]) s[1];
        in.n++;
        if (in.n <= FANOUT) {
            return null;
        }
        Inner right = new Inner();
        inners++;
        int half = in.n / 2;
        int rn = in.n - half;
        System.arraycopy(in.kids, half, right.kids, 0, rn);
        System.arraycopy(in.counts, half, right.counts, 0, rn);
        System.arraycopy(in.sepScores, half, right.sepScores, 0, rn);
        System.arraycopy(in.sepMembers, half, right.sepMembers, 0, rn);
        Arrays.fill(in.kids, half, in.n, null);
        Arrays.fill(in.sepMembers, half, in.n, null);
        right.n = rn;
        in.n = half;
        double sepScore = right.sepScores[0];
        byte[] sepMember = right.sepMembers[0];
        right.sepMembers[0] = null;
        return new Object[] {sepScore, sepMember, right};
    }

    private static void leafInsertAt(Leaf leaf, int at, double score, long handle) {
        System.arraycopy(leaf.scores, at, leaf.scores, at + 1, leaf.n - at);
        System.arraycopy(leaf.handles, at, leaf.handles, at + 1, leaf.n - at);
        leaf.scores[at] = score;
        leaf.handles[at] = handle;
        leaf.n++;
    }

    /** The child of {@code in} whose range holds (score, member). */
    private static int childFor(Inner in, double score, byte[] member) {
        int lo = 1;
        int hi = in.n - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(in.sepScores[mid], in.sepMembers[mid], score, member) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** First index in {@code leaf} whose entry is not less than (score, member). */
    private int leafPosition(Leaf leaf, double score, byte[] member) {
        int lo = 0;
        int hi = leaf.n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compareEntry(leaf, mid, score, member) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    // ---- remove ----

    /** Removes an entry; returns whether it was present. */
    boolean remove(double score, byte[] member) {
        if (!remove(root, score, member)) {
            return false;
        }
        size--;
        while (root instanceof Inner in && in.n == 1) {
            root = in.kids[0];
            inners--;
        }
        if (root instanceof Inner in && in.n == 0) {
            root = new Leaf();
            inners--;
            leaves = 1;
        }
        return true;
    }

    private boolean remove(Node node, double score, byte[] member) {
        if (node instanceof Leaf leaf) {
            int at = leafPosition(leaf, score, member);
            if (at >= leaf.n || compareEntry(leaf, at, score, member) != 0) {
                return false;
            }
            System.arraycopy(leaf.scores, at + 1, leaf.scores, at, leaf.n - at - 1);
            System.arraycopy(leaf.handles, at + 1, leaf.handles, at, leaf.n - at - 1);
            leaf.n--;
            return true;
        }
        Inner in = (Inner) node;
        int i = childFor(in, score, member);
        if (!remove(in.kids[i], score, member)) {
            return false;
        }
        in.counts[i]--;
        if (in.counts[i] == 0) {
            Node gone = in.kids[i];
            if (gone instanceof Leaf l) {
                if (l.prev != null) {
                    l.prev.next = l.next;
                }
                if (l.next != null) {
                    l.next.prev = l.prev;
                }
                leaves--;
            } else {
                inners--;
            }
            // kids[i]'s separator goes with it; if kids[0] went, kids[1]'s becomes unused.
            dropSeparator(in.sepMembers[i == 0 ? 1 : i]);
            System.arraycopy(in.kids, i + 1, in.kids, i, in.n - i - 1);
            System.arraycopy(in.counts, i + 1, in.counts, i, in.n - i - 1);
            System.arraycopy(in.sepScores, i + 1, in.sepScores, i, in.n - i - 1);
            System.arraycopy(in.sepMembers, i + 1, in.sepMembers, i, in.n - i - 1);
            in.n--;
            in.kids[in.n] = null;
            in.sepMembers[in.n] = null;
            in.sepMembers[0] = null; // kids[0] has no separator
        }
        return true;
    }

    // ---- rank and select ----

    /** How many entries satisfy {@code before} (which holds for a prefix of the order). */
    long countBefore(Before before) {
        long total = 0;
        Node node = root;
        while (node instanceof Inner in) {
            int i = 0;
            while (i + 1 < in.n && before.test(in.sepScores[i + 1], in.sepMembers[i + 1], 0, in.sepMembers[i + 1].length)) {
                total += in.counts[i];
                i++;
            }
            node = in.kids[i];
        }
        Leaf leaf = (Leaf) node;
        int lo = 0;
        int hi = leaf.n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            long h = leaf.handles[mid];
            if (before.test(leaf.scores[mid], members.array(h), members.start(h), members.length(h))) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return total + lo;
    }

    /** The rank (0-based) of (score, member), which must be present. */
    long rank(double score, byte[] member) {
        return countBefore((s, m, start, length) -> compare(s, m, start, length, score, member) < 0);
    }

    /**
     * Visits entries from rank {@code from} on, ascending (or descending from it if
     * {@code reverse}), until the visitor returns false or the entries end.
     */
    void walk(long from, boolean reverse, Visitor visitor) {
        if (from < 0 || from >= size) {
            return;
        }
        Node node = root;
        long skip = from;
        while (node instanceof Inner in) {
            int i = 0;
            while (skip >= in.counts[i]) {
                skip -= in.counts[i];
                i++;
            }
            node = in.kids[i];
        }
        Leaf leaf = (Leaf) node;
        int at = (int) skip;
        while (leaf != null) {
            if (reverse) {
                for (int j = at; j >= 0; j--) {
                    if (!visitor.visit(leaf.scores[j], leaf.handles[j])) {
                        return;
                    }
                }
                leaf = leaf.prev;
                at = leaf == null ? 0 : leaf.n - 1;
            } else {
                for (int j = at; j < leaf.n; j++) {
                    if (!visitor.visit(leaf.scores[j], leaf.handles[j])) {
                        return;
                    }
                }
                leaf = leaf.next;
                at = 0;
            }
        }
    }
}
