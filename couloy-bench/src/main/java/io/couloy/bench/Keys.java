package io.couloy.bench;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.WriteBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/** The benchmark's data: 16-byte keys, present ("key" + 13 digits) or absent ("abs" + 13 digits). */
final class Keys {
    private Keys() {}

    static byte[] present(long i) {
        return key('k', 'e', 'y', i);
    }

    static byte[] absent(long i) {
        return key('a', 'b', 's', i);
    }

    /** Three letters and 13 zero-padded digits, without String.format's cost in the measured loop. */
    private static byte[] key(char a, char b, char c, long i) {
        byte[] k = new byte[16];
        k[0] = (byte) a;
        k[1] = (byte) b;
        k[2] = (byte) c;
        for (int p = 15; p >= 3; p--) {
            k[p] = (byte) ('0' + (int) (i % 10));
            i /= 10;
        }
        return k;
    }

    static byte[] value(int size, long seed) {
        byte[] v = new byte[size];
        new SplittableRandom(seed).nextBytes(v);
        return v;
    }

    /** Loads keys 0..count-1 in batches of 1000. */
    static void load(Store store, long count, int valueSize) {
        int batch = 1000;
        byte[] value = value(valueSize, 42);
        for (long i = 0; i < count; i += batch) {
            int n = (int) Math.min(batch, count - i);
            byte[][] keys = new byte[n][];
            byte[][] values = new byte[n][];
            for (int j = 0; j < n; j++) {
                keys[j] = present(i + j);
                values[j] = value;
            }
            store.putBatch(keys, values);
        }
    }

    /** Writes keys 0..count-1 with {@code value.apply(i)} to {@code db} in batches of 1000. */
    static void put(CouloyDB db, long count, LongFunction<byte[]> value) {
        WriteBatch batch = new WriteBatch();
        for (long i = 0; i < count; i++) {
            batch.put(present(i), value.apply(i));
            if (batch.size() == 1000) {
                db.write(batch);
                batch = new WriteBatch();
            }
        }
        db.write(batch);
    }

    /** A fresh directory under {@code bench.dir} (default: the JVM's temporary directory). */
    static Path tempDir(String prefix) throws IOException {
        return Files.createTempDirectory(Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))), prefix);
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
