package io.couloy.bench;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.Hashes;
import io.couloy.engine.ZSets;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Heap bytes per element of each type, measured: used heap after full GCs, before and after
 * loading, divided by the elements loaded. Members are 16 B. Not a JMH benchmark: one
 * measurement per row, in this JVM.
 */
final class TypeMemory {
    record Result(String what, long elements, double heapBytesPerElement, double estimateBytesPerElement) {}

    private TypeMemory() {}

    static List<Result> measureAll(long elements) throws IOException {
        List<Result> out = new ArrayList<>();
        byte[] kilobyte = Keys.value(1024, 9);
        byte[] small = Keys.value(16, 9);
        int batch = 1000;
        out.add(measure("hash, one key, 1 KB values", elements, (db, range) -> {
            List<Hashes.FieldValue> fields = new ArrayList<>();
            for (long i = range[0]; i < range[1]; i++) {
                fields.add(new Hashes.FieldValue(TypesBenchmark.member(i), kilobyte));
            }
            db.hashes().set(TypesBenchmark.key("hash", 0), fields);
        }, batch));
        out.add(measure("hash, 10 fields per key, 16 B values", elements, (db, range) -> {
            for (long i = range[0]; i < range[1]; i += 10) {
                List<Hashes.FieldValue> fields = new ArrayList<>();
                for (int f = 0; f < 10; f++) {
                    fields.add(new Hashes.FieldValue(TypesBenchmark.member(f), small));
                }
                db.hashes().set(TypesBenchmark.key("h", (int) (i / 10)), fields);
            }
        }, batch));
        out.add(measure("set, one key", elements, (db, range) -> {
            List<byte[]> members = new ArrayList<>();
            for (long i = range[0]; i < range[1]; i++) {
                members.add(TypesBenchmark.member(i));
            }
            db.sets().add(TypesBenchmark.key("set", 0), members);
        }, batch));
        out.add(measure("list, one key, 100 B elements", elements, (db, range) -> {
            List<byte[]> items = new ArrayList<>();
            for (long i = range[0]; i < range[1]; i++) {
                items.add(Keys.value(100, i));
            }
            db.lists().pushRight(TypesBenchmark.key("list", 0), items);
        }, batch));
        out.add(measure("sorted set, one key", elements, (db, range) -> {
            List<ZSets.Entry> entries = new ArrayList<>();
            for (long i = range[0]; i < range[1]; i++) {
                entries.add(new ZSets.Entry(TypesBenchmark.member(i), i * 0.5));
            }
            db.zsets().add(TypesBenchmark.key("zset", 0), entries, ZSets.AddOptions.NONE);
        }, batch));
        return out;
    }

    private static Result measure(String what, long elements, BiConsumer<CouloyDB, long[]> load, int batch)
            throws IOException {
        Path dir = Keys.tempDir("couloy-typemem");
        try (CouloyDB db = TypesBenchmark.open(dir)) {
            long before = usedHeap();
            long estimateBefore = db.stats().indexMemoryBytes();
            for (long i = 0; i < elements; i += batch) {
                load.accept(db, new long[] {i, Math.min(elements, i + batch)});
            }
            long after = usedHeap();
            long estimate = db.stats().indexMemoryBytes() - estimateBefore;
            return new Result(what, elements, (double) (after - before) / elements, (double) estimate / elements);
        } finally {
            Keys.deleteTree(dir);
        }
    }

    private static long usedHeap() {
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
