package io.couloy.bench;

import java.io.IOException;
import java.nio.file.Path;
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
 * Puts that return only once durable (CouloyDB ALWAYS, RocksDB WriteOptions.sync, LMDB default
 * sync commits) of 100-byte values into an empty store. Run with 1, 8 and 64 threads by
 * {@link Compare}: group commit shows as throughput growing with threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SyncPutBenchmark {
    @Param({"couloy", "rocksdb", "lmdb"})
    public String store;

    private Path dir;
    private Store db;
    private final byte[] value = Keys.value(100, 7);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Keys.tempDir("couloy-sync-" + store);
        db = Store.Kind.valueOf(store).open(dir, true);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        db.close();
        Keys.deleteTree(dir);
    }

    @Benchmark
    public void syncPut() {
        db.put(Keys.present(ThreadLocalRandom.current().nextLong(1_000_000)), value);
    }
}
