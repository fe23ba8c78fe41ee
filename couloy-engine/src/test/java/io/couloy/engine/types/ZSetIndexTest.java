package io.couloy.engine.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.engine.keydir.Location;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ZSetIndex against a map, with the churn that reuses and moves member entries: the tree names
 * members by their entry's address, so a freed entry reused by another member, or an entry
 * moved when a score's bits turn 0 (0.0) or stop being 0, must never leave the order pointing at
 * the wrong bytes.
 */
class ZSetIndexTest {
    private static final double[] SCORES = {0.0, -0.0, 1.0, -1.0, 2.5, 0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    private record E(byte[] member, double score) {}

    private static final Comparator<E> ORDER = (a, b) -> ScoreTree.compare(a.score, a.member, b.score, b.member);

    @Test
    void staysInStepWithAModelThroughEntryReuseAndMoves() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        ZSetIndex index = new ZSetIndex();
        Map<String, E> model = new HashMap<>();
        for (int step = 0; step < 40_000; step++) {
            // Few distinct members of few lengths: removed entries' memory is reused at once.
            byte[] member = member(r);
            String name = new String(member, StandardCharsets.ISO_8859_1);
            if (r.nextInt(10) < 7) {
                double score = SCORES[r.nextInt(SCORES.length)];
                Location before = put(index, member, step, score);
                E old = model.put(name, new E(member, score));
                assertThat(before == null ? null : ZSetIndex.score(before)).as("seed %d", seed)
                        .isEqualTo(old == null ? null : old.score);
            } else {
                Location[] before = new Location[1];
                index.write(m -> before[0] = m.remove(member));
                E old = model.remove(name);
                assertThat(before[0] != null).as("seed %d", seed).isEqualTo(old != null);
            }
            if (step % 500 == 0 || step == 39_999) {
                check(index, model, r, seed);
            }
        }
    }

    private static byte[] member(Random r) {
        int length = 1 + r.nextInt(4) * 7;
        byte[] m = new byte[length];
        for (int i = 0; i < length; i++) {
            m[i] = (byte) ('a' + r.nextInt(3));
        }
        return m;
    }

    private static Location put(ZSetIndex index, byte[] member, int offset, double score) {
        Location[] before = new Location[1];
        index.write(m -> before[0] = m.put(member, 1, offset, 10, Double.doubleToRawLongBits(score)));
        return before[0];
    }

    private static void check(ZSetIndex index, Map<String, E> model, Random r, long seed) {
        List<E> sorted = new ArrayList<>(model.values());
        sorted.sort(ORDER);
        assertThat(index.size()).as("seed %d", seed).isEqualTo(sorted.size());
        List<ZSetIndex.Entry> walked = index.walk(0, false, Long.MAX_VALUE, null);
        assertThat(walked).hasSize(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            E e = sorted.get(i);
            assertThat(walked.get(i).member()).as("entry %d, seed %d", i, seed).isEqualTo(e.member);
            assertThat(walked.get(i).score()).isEqualTo(e.score);
            assertThat(index.rank(e.member)).as("rank, seed %d", seed).isEqualTo(i);
            assertThat(index.score(e.member)).isEqualTo(e.score);
        }
        for (int i = 0; i < 20 && !sorted.isEmpty(); i++) {
            E bound = new E(member(r), SCORES[r.nextInt(SCORES.length)]);
            long below = sorted.stream().filter(e -> ORDER.compare(e, bound) < 0).count();
            assertThat(index.countBefore((s, m, start, length) ->
                    ScoreTree.compare(s, Arrays.copyOfRange(m, start, start + length), bound.score, bound.member) < 0))
                    .as("count before, seed %d", seed).isEqualTo(below);
            int from = r.nextInt(sorted.size());
            List<ZSetIndex.Entry> back = index.walk(from, true, 5, null);
            for (int j = 0; j < back.size(); j++) {
                assertThat(back.get(j).member()).isEqualTo(sorted.get(from - j).member);
            }
        }
    }
}
