package io.couloy.engine.keydir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A B+tree of arena entry addresses in unsigned key order: the ordered half of
 * {@link OrderedKeyDir}. Leaves hold only 8-byte addresses (keys stay in the arena); inner
 * nodes copy their separator keys, since the entry a separator came from may be freed.
 *
 * <p>Deletion removes empty leaves and inner nodes but does not rebalance half-empty ones; a
 * leaf holds at least one key, so memory stays bounded by the live keys. Not thread-safe: the
 * owning directory holds its lock around every call.
 */
final class KeyTree {
    private static final int FANOUT = 128;

    private abstract static sealed class Node permits Leaf, Inner {
        int n;
    }

    private static final class Leaf extends Node {
        final long[] addrs = new long[FANOUT];
        Leaf prev;
        Leaf next;
    }

    /** kids[0..n); keys[i] (1 &le; i &lt; n) is the smallest key under kids[i]. */
    private static final class Inner extends Node {
        final byte[][] keys = new byte[FANOUT + 1][];
        final Node[] kids = new Node[FANOUT + 1];
    }

    private record Split(byte[] key, Node right) {}

    private final EntryArena arena;
    private Node root = new Leaf();
    private long leaves = 1;
    private long inners;

    KeyTree(EntryArena arena) {
        this.arena = arena;
    }

    long memoryBytes() {
        return leaves * (16L + 8 * FANOUT + 32) + inners * (2L * (16 + 8 * (FANOUT + 1)) + 24 + 24L * FANOUT);
    }

    private int childIndex(Inner in, byte[] key) {
        int lo = 1;
        int hi = in.n - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Arrays.compareUnsigned(in.keys[mid], key) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Binary search in a leaf: index if found, else -(insertion point + 1). */
    private int leafIndex(Leaf leaf, byte[] key) {
        int lo = 0;
        int hi = leaf.n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = arena.compareKey(leaf.addrs[mid], key);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    private Leaf leafFor(byte[] key) {
        Node node = root;
        while (node instanceof Inner in) {
            node = in.kids[childIndex(in, key)];
        }
        return (Leaf) node;
    }

    void insert(byte[] key, long addr) {
        Split split = insert(root, key, addr);
        if (split != null) {
            Inner top = new Inner();
            top.kids[0] = root;
            top.kids[1] = split.right;
            top.keys[1] = split.key;
            top.n = 2;
            root = top;
            inners++;
        }
    }

    private Split insert(Node node, byte[] key, long addr) {
        if (node instanceof Leaf leaf) {
            int i = leafIndex(leaf, key);
            if (i >= 0) {
                leaf.addrs[i] = addr;
                return null;
            }
            i = -i - 1;
            if (leaf.n < FANOUT) {
                System.arraycopy(leaf.addrs, i, leaf.addrs, i + 1, leaf.n - i);
                leaf.addrs[i] = addr;
                leaf.n++;
                return null;
            }
            Leaf right = new Leaf();
            leaves++;
            int half = FANOUT / 2;
            System.arraycopy(leaf.addrs, half, right.addrs, 0, FANOUT - half);
            right.n = FANOUT - half;
            leaf.n = half;
            right.next = leaf.next;
            right.prev = leaf;
            if (leaf.next != null) {
                leaf.next.prev = right;
            }
            leaf.next = right;
            Leaf target = i <= half ? leaf : right;
            int at = i <= half ? i : i - half;
            System.arraycopy(target.addrs, at, target.addrs, at + 1, target.n - at);
            target.addrs[at] = addr;
            target.n++;
            return new Split(arena.key(right.addrs[0]), right);
        }
        Inner in = (Inner) node;
        int c = childIndex(in, key);
        Split split = insert(in.kids[c], key, addr);
        if (split == null) {
            return null;
        }
        int at = c + 1;
        System.arraycopy(in.kids, at, in.kids, at + 1, in.n - at);
        System.arraycopy(in.keys, at, in.keys, at + 1, in.n - at);
        in.kids[at] = split.right;
        in.keys[at] = split.key;
        in.n++;
        if (in.n <= FANOUT) {
            return null;
        }
        Inner right = new Inner();
        inners++;
        int half = in.n / 2;
        int moved = in.n - half;
        System.arraycopy(in.kids, half, right.kids, 0, moved);
        System.arraycopy(in.keys, half, right.keys, 0, moved);
        byte[] up = right.keys[0];
        right.keys[0] = null;
        right.n = moved;
        Arrays.fill(in.kids, half, in.n, null);
        Arrays.fill(in.keys, half, in.n, null);
        in.n = half;
        return new Split(up, right);
    }

    /** Points an existing key at a new address (its entry moved in the arena). */
    void replace(byte[] key, long addr) {
        Leaf leaf = leafFor(key);
        int i = leafIndex(leaf, key);
        if (i >= 0) {
            leaf.addrs[i] = addr;
        }
    }

    void remove(byte[] key) {
        if (remove(root, key)) {
            root = new Leaf();
            leaves = 1;
            inners = 0;
        } else if (root instanceof Inner in && in.n == 1) {
            root = in.kids[0];
            inners--;
        }
    }

    /** Returns whether {@code node} became empty and must be unlinked by its parent. */
    private boolean remove(Node node, byte[] key) {
        if (node instanceof Leaf leaf) {
            int i = leafIndex(leaf, key);
            if (i < 0) {
                return false;
            }
            System.arraycopy(leaf.addrs, i + 1, leaf.addrs, i, leaf.n - i - 1);
            leaf.n--;
            if (leaf.n > 0 || leaf == root) {
                return false;
            }
            if (leaf.prev != null) {
                leaf.prev.next = leaf.next;
            }
            if (leaf.next != null) {
                leaf.next.prev = leaf.prev;
            }
            leaves--;
            return true;
        }
        Inner in = (Inner) node;
        int c = childIndex(in, key);
        if (!remove(in.kids[c], key)) {
            return false;
        }
        // Drop kid c; when c is 0 the next kid becomes first and loses its separator.
        int keyAt = Math.max(c, 1);
        System.arraycopy(in.kids, c + 1, in.kids, c, in.n - c - 1);
        if (keyAt < in.n) {
            System.arraycopy(in.keys, keyAt + 1, in.keys, keyAt, in.n - keyAt - 1);
        }
        in.n--;
        in.kids[in.n] = null;
        in.keys[in.n] = null;
        in.keys[0] = null;
        if (in.n > 0) {
            return false;
        }
        inners--;
        return true;
    }

    /** See {@link KeyDir#keys}. */
    List<byte[]> keys(byte[] from, boolean inclusive, boolean reverse, int limit) {
        List<byte[]> out = new ArrayList<>(Math.min(limit, 1024));
        Leaf leaf;
        int i;
        if (from == null) {
            Node node = root;
            while (node instanceof Inner in) {
                node = in.kids[reverse ? in.n - 1 : 0];
            }
            leaf = (Leaf) node;
            i = reverse ? leaf.n - 1 : 0;
        } else {
            leaf = leafFor(from);
            int at = leafIndex(leaf, from);
            if (at >= 0) {
                i = inclusive ? at : (reverse ? at - 1 : at + 1);
            } else {
                i = reverse ? -at - 2 : -at - 1;
            }
        }
        while (leaf != null && out.size() < limit) {
            if (reverse) {
                for (; i >= 0 && out.size() < limit; i--) {
                    out.add(arena.key(leaf.addrs[i]));
                }
                leaf = leaf.prev;
                i = leaf == null ? 0 : leaf.n - 1;
            } else {
                for (; i < leaf.n && out.size() < limit; i++) {
                    out.add(arena.key(leaf.addrs[i]));
                }
                leaf = leaf.next;
                i = 0;
            }
        }
        return out;
    }
}
