package io.couloy.bench;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.Hashes;
import io.couloy.engine.Lists;
import io.couloy.engine.Options;
import io.couloy.engine.SyncPolicy;
import io.couloy.engine.ZSets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Single-thread throughput of the typed operations (the Redis command each stands for), writes
 * not synced, on {@code collections} collections of each type with {@code elements} elements of
 * 16 B (hash values and list elements 100 B). Elements are chosen at random; about half of the
 * HSET / SADD / ZADD members are new.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TypesBenchmark {
    @Param({"1000"})
    public int collections;

    @Param({"1000"})
    public int elements;

    private Path dir;
    private CouloyDB db;
    private byte[] value;

    static byte[] key(String type, int i) {
        return (type + ":" + i).getBytes(StandardCharsets.US_ASCII);
    }

    /** A 16-byte member. */
    static byte[] member(long i) {
        return String.format("member:%09d", i).getBytes(StandardCharsets.US_ASCII);
    }

    static CouloyDB open(Path dir) {
        return CouloyDB.open(Options.builder(dir).syncPolicy(SyncPolicy.OS).mergeInterval(Duration.ZERO).build());
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Keys.tempDir("couloy-types");
        db = open(dir);
        value = Keys.value(100, 3);
        for (int c = 0; c < collections; c++) {
            List<Hashes.FieldValue> fields = new ArrayList<>();
            List<byte[]> members = new ArrayList<>();
            List<ZSets.Entry> scored = new ArrayList<>();
            List<byte[]> items = new ArrayList<>();
            for (int e = 0; e < elements; e++) {
                fields.add(new Hashes.FieldValue(member(e), value));
                members.add(member(e));
                scored.add(new ZSets.Entry(member(e), ThreadLocalRandom.current().nextDouble()));
                items.add(value);
            }
            db.hashes().set(key("hash", c), fields);
            db.sets().add(key("set", c), members);
            db.zsets().add(key("zset", c), scored, ZSets.AddOptions.NONE);
            db.lists().pushRight(key("list", c), items);
            db.put(key("bitmap", c), new byte[1024]);
            db.hyperLogLogs().add(key("hll", c), members);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        db.close();
        Keys.deleteTree(dir);
    }

    private int collection() {
        return ThreadLocalRandom.current().nextInt(collections);
    }

    private long existing() {
        return ThreadLocalRandom.current().nextInt(elements);
    }

    private long halfNew() {
        return ThreadLocalRandom.current().nextInt(2 * elements);
    }

    @Benchmark
    public boolean hset() {
        return db.hashes().set(key("hash", collection()), member(halfNew()), value);
    }

    @Benchmark
    public byte[] hget() {
        return db.hashes().get(key("hash", collection()), member(existing()));
    }

    @Benchmark
    public long lpush() {
        return db.lists().pushLeft(key("list", collection()), List.of(value));
    }

    /** An LPOP and an RPUSH of what it popped, so lists keep their length. */
    @Benchmark
    @OperationsPerInvocation(2)
    public long lpopRpush() {
        byte[] k = key("list", collection());
        byte[] v = db.lists().pop(k, Lists.End.LEFT);
        return db.lists().pushRight(k, List.of(v));
    }

    /** LRANGE key 0 9: ten elements read from the data files. */
    @Benchmark
    public List<byte[]> lrange10() {
        return db.lists().range(key("list", collection()), 0, 9);
    }

    @Benchmark
    public int sadd() {
        return db.sets().add(key("set", collection()), List.of(member(halfNew())));
    }

    @Benchmark
    public boolean sismember() {
        return db.sets().contains(key("set", collection()), member(halfNew()));
    }

    @Benchmark
    public long zadd() {
        return db.zsets().add(key("zset", collection()),
                List.of(new ZSets.Entry(member(halfNew()), ThreadLocalRandom.current().nextDouble())), ZSets.AddOptions.NONE);
    }

    /** ZRANGE key 0 9 WITHSCORES. */
    @Benchmark
    public List<ZSets.Entry> zrange10() {
        return db.zsets().rangeByRank(key("zset", collection()), 0, 9, false);
    }

    @Benchmark
    public Long zrank() {
        return db.zsets().rank(key("zset", collection()), member(existing()), false);
    }

    @Benchmark
    public int setbit() {
        return db.strings().setBit(key("bitmap", collection()), ThreadLocalRandom.current().nextInt(8192), 1);
    }

    /** BITCOUNT of a 1 KB string. */
    @Benchmark
    public long bitcount() {
        return db.strings().bitCount(key("bitmap", collection()));
    }

    @Benchmark
    public boolean pfadd() {
        return db.hyperLogLogs().add(key("hll", collection()), List.of(member(halfNew())));
    }

    @Benchmark
    public long pfcount() {
        return db.hyperLogLogs().count(List.of(key("hll", collection())));
    }
}
