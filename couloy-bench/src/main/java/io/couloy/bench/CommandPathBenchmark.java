package io.couloy.bench;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.Options;
import io.couloy.engine.SyncPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
 * The engine's share of the server's commands as redis-benchmark sends them: deferred writes (as
 * the server opens its databases), a flush every {@code flushEvery} operations (16: one pipelined
 * batch of one client; the server writes once per event-loop pass, several hundred records at
 * 50 clients with -P 16, so {@code -p flushEvery=512} shows its share without the kernel's cost
 * of many small writes), LPUSH / SADD
 * on one key with random members, INCR and SET on random keys of 1 M, LPOP (then an LPUSH, so
 * the list keeps its length) and LRANGE 0 99 of a 10,000-element list (16 B and 1 KB elements).
 * Time per operation, to set against redis-benchmark's server CPU per request.
 * <pre>java -cp couloy-bench/target/couloy-bench.jar org.openjdk.jmh.Main CommandPathBenchmark -f 1 -wi 3 -i 5</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class CommandPathBenchmark {
    private Path dir;
    private CouloyDB db;
    private final byte[] value = "xxxxxxxxxxxxxxxx".getBytes(StandardCharsets.US_ASCII);
    private final byte[] list = "mylist".getBytes(StandardCharsets.US_ASCII);
    private final byte[] set = "myset".getBytes(StandardCharsets.US_ASCII);
    private final byte[] hash = "myhash".getBytes(StandardCharsets.US_ASCII);
    private int ops;
    @Param("16")
    private int flushEvery;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Keys.tempDir("couloy-commandpath");
        db = CouloyDB.open(Options.builder(dir).syncPolicy(SyncPolicy.EVERY_SECOND).deferredWrites(true)
                .mergeInterval(Duration.ZERO).build());
        fillLongList();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        db.close();
        Keys.deleteTree(dir);
    }

    private void batched() {
        if (++ops % flushEvery == 0) {
            db.flushWrites();
        }
    }

    private static byte[] rand(String prefix) {
        return (prefix + String.format("%012d", ThreadLocalRandom.current().nextInt(1_000_000)))
                .getBytes(StandardCharsets.US_ASCII);
    }

    private final byte[] longList = "mylist:long".getBytes(StandardCharsets.US_ASCII);

    private final byte[] kilobyteList = "mylist:1k".getBytes(StandardCharsets.US_ASCII);

    private void fillLongList() {
        byte[] kilobyte = new byte[1024];
        java.util.Arrays.fill(kilobyte, (byte) 'x');
        // One list after the other: each list's records lie side by side, as redis-benchmark's do.
        for (int i = 0; i < 10_000; i++) {
            db.lists().pushLeft(longList, List.of(value));
        }
        for (int i = 0; i < 10_000; i++) {
            db.lists().pushLeft(kilobyteList, List.of(kilobyte));
        }
        db.flushWrites();
    }

    /** As the server's LRANGE: the values left packed where they were read. */
    @Benchmark
    public io.couloy.engine.PackedValues lrange100() {
        return db.lists().rangePacked(longList, 0, 99);
    }

    @Benchmark
    public io.couloy.engine.PackedValues lrange100Kilobyte() {
        return db.lists().rangePacked(kilobyteList, 0, 99);
    }

    @Benchmark
    public byte[] lpopLpush() {
        byte[] v = db.lists().pop(longList, io.couloy.engine.Lists.End.LEFT);
        db.lists().pushLeft(longList, List.of(value));
        batched();
        return v;
    }

    @Benchmark
    public long lpush() {
        long n = db.lists().pushLeft(list, List.of(value));
        batched();
        return n;
    }

    @Benchmark
    public int sadd() {
        int n = db.sets().add(set, List.of(rand("element:")));
        batched();
        return n;
    }

    @Benchmark
    public long incr() {
        long n = db.strings().incrementBy(rand("counter:"), 1);
        batched();
        return n;
    }

    @Benchmark
    public void set() {
        db.put(rand("key:"), value);
        batched();
    }

    /** The cost of the random key alone, to subtract from the others. */
    @Benchmark
    public byte[] randomKey() {
        return rand("key:");
    }
}
