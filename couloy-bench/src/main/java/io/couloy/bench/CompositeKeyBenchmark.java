package io.couloy.bench;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.Hashes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * HSET / HGET against what RocksDB-based Redis servers do: one RocksDB key per field, the hash's
 * key and the field concatenated. 1,000 hashes of 1,000 fields, 100 B values, writes not synced.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CompositeKeyBenchmark {
    @Param({"couloy", "rocksdb"})
    public String store;

    private static final int HASHES = 1000;
    private static final int FIELDS = 1000;

    private Path dir;
    private CouloyDB couloy;
    private RocksStore rocks;
    private byte[] value;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Keys.tempDir("couloy-composite-" + store);
        value = Keys.value(100, 5);
        if (store.equals("couloy")) {
            couloy = TypesBenchmark.open(dir);
        } else {
            rocks = new RocksStore(dir, false);
        }
        for (int h = 0; h < HASHES; h++) {
            List<Hashes.FieldValue> fields = new ArrayList<>();
            for (int f = 0; f < FIELDS; f++) {
                if (couloy != null) {
                    fields.add(new Hashes.FieldValue(TypesBenchmark.member(f), value));
                } else {
                    rocks.put(composite(h, f), value);
                }
            }
            if (couloy != null) {
                couloy.hashes().set(TypesBenchmark.key("hash", h), fields);
            }
        }
    }

    private static byte[] composite(int hash, long field) {
        byte[] k = TypesBenchmark.key("hash", hash);
        byte[] f = TypesBenchmark.member(field);
        byte[] out = new byte[k.length + 1 + f.length];
        System.arraycopy(k, 0, out, 0, k.length);
        out[k.length] = 0;
        System.arraycopy(f, 0, out, k.length + 1, f.length);
        return out;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (couloy != null) {
            couloy.close();
        } else {
            rocks.close();
        }
        Keys.deleteTree(dir);
    }

    @Benchmark
    public Object hset() {
        int h = ThreadLocalRandom.current().nextInt(HASHES);
        long f = ThreadLocalRandom.current().nextInt(FIELDS);
        if (couloy != null) {
            return couloy.hashes().set(TypesBenchmark.key("hash", h), TypesBenchmark.member(f), value);
        }
        rocks.put(composite(h, f), value);
        return null;
    }

    @Benchmark
    public byte[] hget() {
        int h = ThreadLocalRandom.current().nextInt(HASHES);
        long f = ThreadLocalRandom.current().nextInt(FIELDS);
        return couloy != null ? couloy.hashes().get(TypesBenchmark.key("hash", h), TypesBenchmark.member(f))
                : rocks.get(composite(h, f));
    }
}
