package io.couloy.engine.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.engine.keydir.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The list index against a plain list model, with pages small enough that pushes, pops and
 * middle edits cross pages, double the page table with the head anywhere in its page, drop
 * emptied pages and fall back to one page, thousands of times.
 */
class ListIndexTest {
    /** One element of the model: sequence number, file id, offset, size. */
    private record E(long seq, int file, long offset, int size) {}

    @ParameterizedTest(name = "pages of 2^{0}")
    @ValueSource(ints = {2, 3, 5, ListIndex.PAGE_BITS})
    void behavesAsAListThroughGrowthAndShrinkage(int pageBits) {
        Random random = new Random(42 + pageBits);
        ListIndex index = new ListIndex(pageBits);
        List<E> model = new ArrayList<>();
        int file = 0;
        int longest = 0;
        for (int round = 0; round < (pageBits == ListIndex.PAGE_BITS ? 8 : 40); round++) {
            // Alternate long growth and long shrinkage phases so the index passes every size many times.
            boolean growing = round % 2 == 0;
            int target = growing ? random.nextInt(pageBits == ListIndex.PAGE_BITS ? 40_000 : 400) : random.nextInt(20);
            int steps = 0;
            while ((growing ? model.size() < target : model.size() > target) && steps++ < 100_000) {
                int op = random.nextInt(10);
                if (growing ? op < 8 : op < 2) {
                    long seq;
                    int at;
                    if (model.isEmpty()) {
                        seq = 0;
                        at = 0;
                    } else if (random.nextBoolean()) {
                        seq = model.getLast().seq() + ListIndex.STEP;
                        at = model.size();
                    } else if (random.nextInt(8) > 0) {
                        seq = model.getFirst().seq() - ListIndex.STEP;
                        at = 0;
                    } else {
                        at = 1 + random.nextInt(Math.max(1, model.size() - 1));
                        if (at >= model.size()) {
                            continue;
                        }
                        long lo = model.get(at - 1).seq();
                        long hi = model.get(at).seq();
                        if (hi - lo < 2) {
                            continue;
                        }
                        seq = lo + (hi - lo) / 2;
                    }
                    E e = new E(seq, ++file, random.nextInt(1 << 30), 1 + random.nextInt(1000));
                    index.write(m -> assertThat(m.put(ListIndex.seqKey(e.seq()), e.file(), e.offset(), e.size(), 0)).isNull());
                    model.add(at, e);
                } else if (!model.isEmpty() && op < 9) {
                    int at = random.nextBoolean() ? (random.nextBoolean() ? 0 : model.size() - 1) : random.nextInt(model.size());
                    E gone = model.remove(at);
                    index.write(m -> assertThat(m.remove(ListIndex.seqKey(gone.seq()))).isEqualTo(location(gone)));
                } else if (!model.isEmpty()) {
                    int at = random.nextInt(model.size());
                    E old = model.get(at);
                    E moved = new E(old.seq(), ++file, random.nextInt(1 << 30), old.size());
                    if (random.nextBoolean()) {
                        index.write(m -> assertThat(m.put(ListIndex.seqKey(old.seq()), moved.file(), moved.offset(), moved.size(), 0))
                                .isEqualTo(location(old)));
                    } else {
                        index.write(m -> assertThat(m.moveIfAt(ListIndex.seqKey(old.seq()), old.file(), old.offset(), moved.file(),
                                moved.offset(), moved.size())).isTrue());
                    }
                    model.set(at, moved);
                }
                longest = Math.max(longest, model.size());
                checkMemory(index, model.size(), longest, pageBits);
                if (steps % (97 + model.size()) == 0) { // a check walks the whole list
                    check(index, model, random);
                }
            }
            check(index, model, random);
        }
    }

    @ParameterizedTest(name = "pages of 2^{0}")
    @ValueSource(ints = {2, 4})
    void aReleasedIndexHoldsNothingAndCanBeUsedAgain(int pageBits) {
        long nativeBefore = ListIndex.nativeBytes();
        ListIndex index = new ListIndex(pageBits);
        int n = 10 << pageBits; // ten native pages
        for (int i = 0; i < n; i++) {
            long at = i; // the size so far: read outside write, whose lock is not reentrant
            index.write(m -> m.put(ListIndex.seqKey(at * ListIndex.STEP), 1, at, 9, 0));
        }
        assertThat(index.memoryBytes()).isGreaterThanOrEqualTo(20L * n);
        // every full page is native but a list's first one, on the heap (a full page here when pages are 2^2)
        long firstPage = pageBits == 2 ? 20L * 4 : 0;
        assertThat(ListIndex.nativeBytes() - nativeBefore).isEqualTo(20L * n - firstPage);

        index.release();

        assertThat(ListIndex.nativeBytes()).isEqualTo(nativeBefore);

        assertThat(index.size()).isZero();
        assertThat(index.at(0)).isNull();
        assertThat(index.span(0, n).length()).isZero();
        assertThat(index.get(ListIndex.seqKey(0))).isNull();
        assertThat(index.memoryBytes()).isLessThan(20L * (1L << pageBits) + 300);
        index.write(m -> m.put(ListIndex.seqKey(5), 2, 7, 9, 0));
        assertThat(index.at(0)).isEqualTo(new ListIndex.Element(5, new Location(2, 7, 9, 0)));
        index.release();
        index.release(); // twice is harmless
        assertThat(index.size()).isZero();
    }

    private static Location location(E e) {
        return new Location(e.file(), e.offset(), e.size(), 0);
    }

    private static void check(ListIndex index, List<E> model, Random random) {
        assertThat(index.size()).isEqualTo(model.size());
        assertThat(index.ends()).isEqualTo(model.isEmpty() ? new ListIndex.Ends(0, 0, 0)
                : new ListIndex.Ends(model.size(), model.getFirst().seq(), model.getLast().seq()));
        if (!model.isEmpty()) {
            int i = random.nextInt(model.size());
            assertThat(index.at(i)).isEqualTo(new ListIndex.Element(model.get(i).seq(), location(model.get(i))));
            assertThat(index.get(ListIndex.seqKey(model.get(i).seq()))).isEqualTo(location(model.get(i)));
            long next = model.get(i).seq() + 1; // a sequence number the list may or may not hold
            E held = model.stream().filter(x -> x.seq() == next).findFirst().orElse(null);
            assertThat(index.get(ListIndex.seqKey(next))).isEqualTo(held == null ? null : location(held));
        }
        assertThat(index.at(model.size())).isNull();
        int from = model.isEmpty() ? 0 : random.nextInt(model.size());
        int to = from + random.nextInt(3 * (1 + model.size() / 2));
        ListIndex.Span span = index.span(from, to);
        List<ListIndex.Element> range = index.range(from, to);
        List<E> expected = model.subList(Math.min(from, model.size()), Math.min(to + 1, model.size()));
        assertThat(span.length()).isEqualTo(expected.size());
        assertThat(range).hasSize(expected.size());
        for (int j = 0; j < expected.size(); j++) {
            assertThat(span.seqs()[j]).isEqualTo(expected.get(j).seq());
            assertThat(span.location(j)).isEqualTo(location(expected.get(j)));
            assertThat(range.get(j)).isEqualTo(new ListIndex.Element(expected.get(j).seq(), location(expected.get(j))));
        }
        List<Long> walked = new ArrayList<>();
        index.forEach((k, loc) -> walked.add(ListIndex.seqOf(k)));
        assertThat(walked).isEqualTo(model.stream().map(E::seq).toList());
    }

    /**
     * Memory follows the elements: one page of at most four times the elements (64 slots at
     * least), or only the pages elements lie in — a partial one at each end — plus the table of
     * pages, which is sized by the longest the list has been. A full page is native memory with
     * its arena (176 bytes of objects); a table entry is a page and an arena reference.
     */
    private static void checkMemory(ListIndex index, int count, int longest, int pageBits) {
        long page = 20L * (1L << pageBits) + 176;
        long table = 32L * (2L * longest / (1L << pageBits) + 2);
        long flat = 20L * Math.max(64, 4L * count) + 176;
        long paged = (count / (1L << pageBits) + 2) * page;
        assertThat(index.memoryBytes()).isLessThanOrEqualTo(160 + table + Math.max(flat, paged));
    }
}
