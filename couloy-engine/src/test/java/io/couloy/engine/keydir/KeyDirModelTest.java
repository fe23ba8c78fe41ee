package io.couloy.engine.keydir;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.engine.IndexType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Seeded random operations on each key directory against a TreeMap, with many keys (resizes, splits). */
class KeyDirModelTest {
    @ParameterizedTest
    @EnumSource(IndexType.class)
    void randomOps_matchTreeMap(IndexType type) {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        KeyDir dir = KeyDir.create(type);
        TreeMap<byte[], Location> model = new TreeMap<>(Arrays::compareUnsigned);
        int keySpace = 20_000;
        for (int step = 0; step < 200_000; step++) {
            byte[] key = key(random.nextInt(keySpace), random);
            int op = random.nextInt(10);
            if (op < 6) {
                long expiry = random.nextInt(4) == 0 ? 1_000 + random.nextInt(1000) : 0;
                Location loc = new Location(random.nextInt(1000) + 1, random.nextInt(1 << 30), random.nextInt(5000) + 8, expiry);
                Location[] before = new Location[1];
                dir.write(m -> before[0] = m.put(key, loc.fileId(), loc.offset(), loc.size(), loc.expiry()));
                assertThat(before[0]).as("seed %d step %d", seed, step).isEqualTo(model.put(key, loc));
            } else if (op < 9) {
                Location[] before = new Location[1];
                dir.write(m -> before[0] = m.remove(key));
                assertThat(before[0]).as("seed %d step %d", seed, step).isEqualTo(model.remove(key));
            } else {
                long expiry = random.nextBoolean() ? 0 : 5_000;
                dir.write(m -> m.setExpiry(key, expiry));
                Location old = model.get(key);
                if (old != null) {
                    model.put(key, new Location(old.fileId(), old.offset(), old.size(), expiry));
                }
            }
            if (step % 20_000 == 0) {
                checkAll(dir, model, seed);
            }
        }
        checkAll(dir, model, seed);
    }

    /** Keys of varied length sharing prefixes, some with the 0x00 and 0xFF bytes. */
    private static byte[] key(int n, Random random) {
        byte[] base = ByteBuffer.allocate(4).putInt(n).array();
        return switch (n % 3) {
            case 0 -> base;
            case 1 -> ("user:" + n).getBytes();
            default -> new byte[] {(byte) 0xFF, 0, base[2], base[3], (byte) (n % 7)};
        };
    }

    private static void checkAll(KeyDir dir, TreeMap<byte[], Location> model, long seed) {
        assertThat(dir.size()).as("seed %d", seed).isEqualTo(model.size());
        for (Map.Entry<byte[], Location> e : model.entrySet()) {
            assertThat(dir.get(e.getKey())).as("seed %d", seed).isEqualTo(e.getValue());
        }
        List<byte[]> all = new ArrayList<>();
        byte[] from = null;
        while (true) {
            List<byte[]> batch = dir.keys(from, from == null, false, 1000);
            all.addAll(batch);
            if (batch.size() < 1000) {
                break;
            }
            from = batch.getLast();
        }
        assertThat(all).as("seed %d", seed).containsExactlyElementsOf(model.keySet());
        List<byte[]> reversed = dir.keys(null, true, true, Integer.MAX_VALUE);
        assertThat(reversed).as("seed %d", seed).containsExactlyElementsOf(model.descendingKeySet());
    }
}
