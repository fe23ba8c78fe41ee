package io.couloy.engine.keydir;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.engine.IndexType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link KeyDir#walkLocations} must meet every entry held for the whole walk while others are
 * inserted and deleted between its steps. The walk here takes steps of one entry and the test
 * writes after every step, so nearly every boundary sees writes. Two cases, since a resize
 * restarts the walk and would hide a miss of the other kind: deletions shifting entries
 * backwards across step boundaries in a table that never resizes; and a table that grows and
 * shrinks again.
 */
class WalkLocationsTest {
    private static final int STABLE = 3_000;

    private static byte[] key(String prefix, int i) {
        return (prefix + i).getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource({"HASH, false", "BTREE, false", "MEMBERS, false", "HASH, true", "MEMBERS, true"})
    void everyEntryHeldThroughoutIsVisited_whileOthersComeAndGo(String kind, boolean resizing) {
        HashKeyDir dir = (HashKeyDir) (kind.equals("MEMBERS") ? KeyDir.forMembers() : KeyDir.create(IndexType.valueOf(kind)));
        // The churn keeps the table near its highest load (long clusters, many entries away from
        // their home slot), between churnMax - 1000 and churnMax entries.
        int churnMax = 10_000;
        if (!resizing) {
            dir.presize(STABLE + churnMax); // 16,384 slots: a load of up to 0.79, never a resize
        }
        // Stable entries are told apart by file id 1 and their offset; churn entries use file 2.
        Random random = new Random(kind.hashCode() + (resizing ? 1 : 0));
        List<byte[]> churn = new ArrayList<>();
        int[] next = {0};
        // Interleaved: an entry put into an empty neighbourhood sits at its home slot, where no
        // deletion moves it; the stable ones must be displaced as often as the others.
        dir.write(m -> {
            for (int i = 0; i < STABLE; i++) {
                m.put(key("s", i), 1, i, 10, 0);
                while (churn.size() < (long) (churnMax - 500) * (i + 1) / STABLE) {
                    byte[] c = key("c", next[0]++);
                    churn.add(c);
                    m.put(c, 2, 0, 10, 0);
                }
            }
        });
        Runnable write = () -> {
            if (resizing && random.nextInt(3000) == 0) {
                // A burst: the table grows past twice its size, or is cut back and trimmed; the
                // steady writes below then grow it again through its thresholds.
                boolean grow = churn.size() <= churnMax;
                dir.write(m -> {
                    if (grow) {
                        for (int k = 0; k < 2 * churnMax; k++) {
                            byte[] c = key("c", next[0]++);
                            churn.add(c);
                            m.put(c, 2, 0, 10, 0);
                        }
                    } else {
                        while (churn.size() > 500) {
                            m.remove(churn.remove(churn.size() - 1));
                        }
                    }
                });
                dir.trim();
                return;
            }
            int n = 1 + random.nextInt(3);
            dir.write(m -> {
                for (int k = 0; k < n; k++) {
                    boolean add = churn.size() < churnMax - 1000 || (churn.size() < churnMax && random.nextBoolean());
                    if (add) {
                        byte[] c = key("c", next[0]++);
                        churn.add(c);
                        m.put(c, 2, 0, 10, 0);
                    } else {
                        m.remove(churn.remove(random.nextInt(churn.size())));
                    }
                }
            });
        };
        for (int walk = 0; walk < 40; walk++) {
            BitSet seen = new BitSet(STABLE);
            dir.walkLocations(loc -> {
                if (loc.fileId() == 1) {
                    seen.set((int) loc.offset());
                }
            }, 1, write);
            assertThat(seen.cardinality()).as("stable entries seen in walk %d", walk).isEqualTo(STABLE);
        }
    }
}
