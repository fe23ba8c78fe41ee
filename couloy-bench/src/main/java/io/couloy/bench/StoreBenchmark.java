package io.couloy.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Single-thread throughput on a store preloaded with {@code keys} keys of 16 bytes, writes not
 * synced (each store's OS-write-back mode). Every store sees the same keys, values and random
 * choices.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreBenchmark {
    @Param({"couloy", "rocksdb", "lmdb", "mvstore"})
    public String store;

    @Param({"100", "1024"})
    public int valueSize;

    @Param({"1000000"})
    public long keys;

    private Path dir;
    private Store db;
    private byte[] value;
    private byte[][] batchKeys;
    private byte[][] batchValues;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Keys.tempDir("couloy-bench-" + store);
        db = Store.Kind.valueOf(store).open(dir, false);
        Keys.load(db, keys, valueSize);
        value = Keys.value(valueSize, 7);
        batchKeys = new byte[100][];
        batchValues = new byte[100][];
        for (int i = 0; i < 100; i++) {
            batchValues[i] = value;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        db.close();
        Keys.deleteTree(dir);
    }

    private long randomKey() {
        return ThreadLocalRandom.current().nextLong(keys);
    }

    @Benchmark
    public void put() {
        db.put(Keys.present(randomKey()), value);
    }

    @Benchmark
    public byte[] getPresent() {
        return db.get(Keys.present(randomKey()));
    }

    @Benchmark
    public byte[] getAbsent() {
        return db.get(Keys.absent(randomKey()));
    }

    @Benchmark
    public byte[] mixed90Read10Write() {
        if (ThreadLocalRandom.current().nextInt(10) == 0) {
            db.put(Keys.present(randomKey()), value);
            return null;
        }
        return db.get(Keys.present(randomKey()));
    }

    /** 100 puts in one batch; reported per put. */
    @Benchmark
    @OperationsPerInvocation(100)
    public void batchPut() {
        for (int i = 0; i < 100; i++) {
            batchKeys[i] = Keys.present(randomKey());
        }
        db.putBatch(batchKeys, batchValues);
    }
}
