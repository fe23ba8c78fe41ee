package io.couloy.engine.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** ScoreTree against a TreeSet: 60,000 random inserts and removes, checked as they go. */
class ScoreTreeTest {
    record E(double score, byte[] member) {}

    /** Members kept in a list; a handle is an index into it. */
    private static final class ListMembers implements ScoreTree.Members {
        final List<byte[]> all = new ArrayList<>();

        long add(byte[] member) {
            all.add(member);
            return all.size() - 1;
        }

        @Override
        public byte[] array(long handle) {
            return all.get((int) handle);
        }

        @Override
        public int start(long handle) {
            return 0;
        }

        @Override
        public int length(long handle) {
            return all.get((int) handle).length;
        }
    }

    private static int cmp(E a, E b) {
        return ScoreTree.compare(a.score, a.member, b.score, b.member);
    }

    @Test
    void matchesASortedModel_throughSplitsAndEmptiedNodes() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        ListMembers members = new ListMembers();
        ScoreTree tree = new ScoreTree(members);
        TreeSet<E> model = new TreeSet<>(ScoreTreeTest::cmp);
        List<E> present = new ArrayList<>();
        for (int step = 0; step < 60_000; step++) {
            // Grow to about 8,000 entries, then mostly shrink, so nodes split and then empty.
            boolean insert = step < 30_000 ? r.nextInt(10) < 7 : r.nextInt(10) < 3;
            if (insert || present.isEmpty()) {
                E e = new E(r.nextInt(50) - 25 + (r.nextBoolean() ? 0.5 : 0), ("m" + r.nextInt(100_000)).getBytes());
                if (model.add(e)) {
                    tree.insert(e.score, e.member, members.add(e.member));
                    present.add(e);
                }
            } else {
                E e = present.remove(r.nextInt(present.size()));
                model.remove(e);
                assertThat(tree.remove(e.score, e.member)).as("seed %d", seed).isTrue();
                assertThat(tree.remove(e.score, e.member)).isFalse();
            }
            if (step % 997 == 0 || step == 59_999) {
                check(tree, members, model, r, seed);
            }
        }
    }

    @Test
    void ascendingAndDescendingLoadsFillTheirLeaves() {
        for (boolean ascending : new boolean[] {true, false}) {
            ListMembers members = new ListMembers();
            ScoreTree tree = new ScoreTree(members);
            TreeSet<E> model = new TreeSet<>(ScoreTreeTest::cmp);
            for (int i = 0; i < 64 * 100; i++) {
                E e = new E(ascending ? i : -i, ("m" + i).getBytes());
                tree.insert(e.score, e.member, members.add(e.member));
                model.add(e);
            }
            // 100 full leaves and two or three inner nodes (a half split per overflow would leave 200 leaves).
            long leafBytes = 32L + 2 * (16 + 8L * 64);
            assertThat(tree.memoryBytes()).as(ascending ? "ascending" : "descending").isLessThan(130 * leafBytes);
            check(tree, members, model, new Random(1), 1);
        }
    }

    private static void check(ScoreTree tree, ListMembers members, TreeSet<E> model, Random r, long seed) {
        assertThat(tree.size()).as("seed %d", seed).isEqualTo(model.size());
        List<E> all = new ArrayList<>(model);
        List<E> walked = new ArrayList<>();
        tree.walk(0, false, (s, h) -> walked.add(new E(s, members.array(h))));
        assertThat(walked).usingElementComparator(ScoreTreeTest::cmp).containsExactlyElementsOf(all);
        if (all.isEmpty()) {
            return;
        }
        for (int i = 0; i < 50; i++) {
            int k = r.nextInt(all.size());
            E e = all.get(k);
            assertThat(tree.rank(e.score, e.member)).as("rank, seed %d", seed).isEqualTo(k);
            List<E> back = new ArrayList<>();
            tree.walk(k, true, (s, h) -> back.add(new E(s, members.array(h))) && back.size() < 3);
            for (int j = 0; j < back.size(); j++) {
                assertThat(cmp(back.get(j), all.get(k - j))).isZero();
            }
            double bound = r.nextInt(60) - 30;
            long below = all.stream().filter(x -> x.score < bound).count();
            assertThat(tree.countBefore((s, m, start, length) -> s < bound)).as("count below %s, seed %d", bound, seed).isEqualTo(below);
        }
    }
}
