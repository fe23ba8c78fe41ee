package io.couloy.bench;

import io.couloy.engine.IndexType;
import io.couloy.engine.MergeReads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the side-by-side benchmarks in one go and prints Markdown tables with the ratio
 * CouloyDB / peer. System properties: {@code bench.keys} (preloaded keys, default 1000000),
 * {@code bench.quick=true} (short iterations, for a smoke run), {@code bench.openKeys}
 * (comma-separated key counts for the open-time table, default 1000000,10000000),
 * {@code bench.only} (store, sync, open, types, typemem or merge: run one part), {@code bench.dir}
 * (where data goes), {@code bench.typeElements} (elements for the type-memory table, default
 * 1000000), {@code bench.mergeKeys} (keys for the merge table, default 1000000).
 */
public final class Compare {
    private Compare() {}

    public static void main(String[] args) throws RunnerException, IOException {
        String keys = System.getProperty("bench.keys", "1000000");
        boolean quick = Boolean.getBoolean("bench.quick");
        String only = System.getProperty("bench.only", "");
        StringBuilder report = new StringBuilder();
        report.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, JDK ")
                .append(Runtime.version()).append(", ").append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.arch")).append("\n\n");
        if (only.isEmpty() || only.equals("store")) {
            Collection<RunResult> results = new Runner(base(quick)
                    .include(StoreBenchmark.class.getName())
                    .param("keys", keys)
                    .threads(1)
                    .build()).run();
            report.append(storeTable(results, keys)).append('\n');
        }
        if (only.isEmpty() || only.equals("sync")) {
            Map<Integer, Collection<RunResult>> byThreads = new LinkedHashMap<>();
            for (int threads : new int[] {1, 8, 64}) {
                byThreads.put(threads, new Runner(base(quick)
                        .include(SyncPutBenchmark.class.getName())
                        .threads(threads)
                        .build()).run());
            }
            report.append(syncTable(byThreads)).append('\n');
        }
        if (only.isEmpty() || only.equals("open")) {
            report.append(openTable(System.getProperty("bench.openKeys", "1000000,10000000"))).append('\n');
        }
        if (only.isEmpty() || only.equals("types")) {
            Collection<RunResult> types = new Runner(base(quick)
                    .include(TypesBenchmark.class.getName())
                    .threads(1)
                    .build()).run();
            Collection<RunResult> composite = new Runner(base(quick)
                    .include(CompositeKeyBenchmark.class.getName())
                    .threads(1)
                    .build()).run();
            report.append(typesTable(types, composite)).append('\n');
        }
        if (only.isEmpty() || only.equals("typemem")) {
            report.append(typeMemoryTable(Long.getLong("bench.typeElements", 1_000_000))).append('\n');
        }
        if (only.isEmpty() || only.equals("merge")) {
            report.append(mergeTable(Long.getLong("bench.mergeKeys", 1_000_000))).append('\n');
        }
        System.out.println();
        System.out.println(report);
        Files.writeString(Path.of("bench-results.md"), report.toString());
        System.out.println("(also written to bench-results.md)");
    }

    private static ChainedOptionsBuilder base(boolean quick) {
        return new OptionsBuilder()
                .forks(1)
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-Xms2g", "-Xmx2g")
                .warmupIterations(quick ? 1 : 2)
                .warmupTime(TimeValue.seconds(quick ? 1 : 3))
                .measurementIterations(quick ? 1 : 3)
                .measurementTime(TimeValue.seconds(quick ? 1 : 4))
                .shouldFailOnError(true);
    }

    private static String label(RunResult r) {
        return r.getParams().getBenchmark().replaceAll(".*\\.", "");
    }

    private static String storeTable(Collection<RunResult> results, String keys) {
        // (benchmark, valueSize) -> store -> ops/s
        Map<String, Map<String, double[]>> rows = new LinkedHashMap<>();
        for (RunResult r : results) {
            String row = label(r) + " | " + r.getParams().getParam("valueSize") + " B";
            rows.computeIfAbsent(row, x -> new LinkedHashMap<>()).put(r.getParams().getParam("store"),
                    new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        StringBuilder sb = new StringBuilder();
        sb.append("### Single thread, ").append(keys).append(" keys of 16 B, no fsync per write (ops/s)\n\n");
        sb.append("| benchmark | value | CouloyDB | RocksDB | LMDB | H2 MVStore | Couloy/RocksDB | Couloy/LMDB | Couloy/MVStore |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, double[]>> e : rows.entrySet()) {
            Map<String, double[]> s = e.getValue();
            sb.append("| ").append(e.getKey());
            for (String store : List.of("couloy", "rocksdb", "lmdb", "mvstore")) {
                sb.append(" | ").append(fmt(s.get(store)));
            }
            for (String peer : List.of("rocksdb", "lmdb", "mvstore")) {
                sb.append(" | ").append(ratio(s.get("couloy"), s.get(peer)));
            }
            sb.append(" |\n");
        }
        return sb.toString();
    }

    private static String syncTable(Map<Integer, Collection<RunResult>> byThreads) {
        StringBuilder sb = new StringBuilder();
        sb.append("### Durable puts (fsync before acknowledging), 100 B values (ops/s)\n\n");
        sb.append("| threads | CouloyDB ALWAYS | RocksDB sync | LMDB sync | Couloy/RocksDB | Couloy/LMDB |\n");
        sb.append("|---:|---:|---:|---:|---:|---:|\n");
        double single = 0;
        double most = 0;
        for (Map.Entry<Integer, Collection<RunResult>> e : byThreads.entrySet()) {
            Map<String, double[]> s = new LinkedHashMap<>();
            for (RunResult r : e.getValue()) {
                s.put(r.getParams().getParam("store"),
                        new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
            }
            if (s.containsKey("couloy")) {
                if (e.getKey() == 1) {
                    single = s.get("couloy")[0];
                }
                most = s.get("couloy")[0];
            }
            sb.append("| ").append(e.getKey()).append(" | ").append(fmt(s.get("couloy"))).append(" | ")
                    .append(fmt(s.get("rocksdb"))).append(" | ").append(fmt(s.get("lmdb"))).append(" | ")
                    .append(ratio(s.get("couloy"), s.get("rocksdb"))).append(" | ")
                    .append(ratio(s.get("couloy"), s.get("lmdb"))).append(" |\n");
        }
        if (single > 0) {
            sb.append(String.format(Locale.ROOT, "%nCouloyDB ALWAYS at 64 threads / 1 thread: %.1fx%n", most / single));
        }
        return sb.toString();
    }

    private static String openTable(String counts) throws IOException {
        List<OpenAndMemory.Result> results = new ArrayList<>();
        for (String c : counts.split(",")) {
            for (IndexType index : IndexType.values()) {
                results.add(OpenAndMemory.measure(index, Long.parseLong(c.trim())));
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("### Open from hints and key-directory memory (16 B keys)\n\n");
        sb.append("| keys | index | open (s) | index bytes/key | bytes/key beyond the key |\n");
        sb.append("|---:|---|---:|---:|---:|\n");
        for (OpenAndMemory.Result r : results) {
            sb.append(String.format(Locale.ROOT, "| %,d | %s | %.2f | %.1f | %.1f |%n", r.keys(), r.index(),
                    r.openSeconds(), r.indexBytesPerKey(), r.indexBytesPerKey() - 16));
        }
        return sb.toString();
    }

    private static String mergeTable(long keys) throws IOException {
        for (MergeReads reads : READS) { // warm-up: each merge path compiled before it is timed
            MergeCost.measure(Math.max(1, keys / 10), 100, reads);
        }
        StringBuilder sb = new StringBuilder();
        String head = "| value | reads | input MB | MB read | output MB | records copied | seconds | CPU seconds | writes paused ms |\n"
                + "|---:|---|---:|---:|---:|---:|---:|---:|---:|\n";
        sb.append(String.format(Locale.ROOT, "### One merge of %,d keys written twice (half the bytes dead)%n%n", keys));
        sb.append(head);
        for (int valueSize : new int[] {16, 1024}) {
            for (MergeReads reads : READS) {
                mergeRow(sb, valueSize, reads.name(), MergeCost.measure(keys, valueSize, reads));
            }
        }
        sb.append(String.format(Locale.ROOT, "%n### One merge of a list of %,d elements, the first half popped%n%n", keys));
        sb.append(head);
        for (int valueSize : new int[] {16, 1024}) {
            for (MergeReads reads : READS) {
                mergeRow(sb, valueSize, reads.name(), MergeCost.measureList(keys, valueSize, reads));
            }
        }
        sb.append(String.format(Locale.ROOT, "%n### %,d keys merged, then a fifth of them overwritten four times%n%n", keys));
        sb.append("mergeFragmented() takes the dead files after the first merge's output: a run that leaves older files, which"
                + " scans (SCAN) or reads its inputs' hints and only their live records (LIVE; the default does so for an input whose hint is under half its size).\n\n");
        sb.append(head.replace("| reads |", "| merge, reads |"));
        for (int valueSize : new int[] {16, 1024}) {
            for (MergeReads reads : READS) {
                mergeRow(sb, valueSize, "merge(), " + reads.name(), MergeCost.measureAfterMerge(keys, valueSize, false, reads));
            }
            for (MergeReads reads : READS) {
                mergeRow(sb, valueSize, "mergeFragmented(), " + reads.name(),
                        MergeCost.measureAfterMerge(keys, valueSize, true, reads));
            }
        }
        return sb.toString();
    }

    /** The ways of reading a merge's inputs the merge tables set side by side. */
    private static final MergeReads[] READS = {MergeReads.SCAN, MergeReads.LIVE};

    private static void mergeRow(StringBuilder sb, int valueSize, String reads, MergeCost.Result r) {
        sb.append(String.format(Locale.ROOT, "| %d B | %s | %.0f | %.0f | %.0f | %,d | %.2f | %.2f | %.0f |%n", valueSize, reads,
                r.bytesBefore() / 1e6, r.bytesRead() / 1e6, r.bytesAfter() / 1e6, r.recordsCopied(), r.seconds(),
                r.cpuSeconds(), r.pauseMillis()));
    }

    private static String typesTable(Collection<RunResult> types, Collection<RunResult> composite) {
        StringBuilder sb = new StringBuilder();
        sb.append("### Typed operations, single thread, 1,000 collections of 1,000 elements, no fsync (ops/s)\n\n");
        sb.append("| operation | CouloyDB |\n|---|---:|\n");
        for (RunResult r : types) {
            sb.append("| ").append(label(r)).append(" | ")
                    .append(fmt(new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()}))
                    .append(" |\n");
        }
        Map<String, Map<String, double[]>> rows = new LinkedHashMap<>();
        for (RunResult r : composite) {
            rows.computeIfAbsent(label(r), x -> new LinkedHashMap<>()).put(r.getParams().getParam("store"),
                    new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        sb.append("\n#### HSET / HGET against RocksDB with composite keys (key + field), 100 B values (ops/s)\n\n");
        sb.append("| operation | CouloyDB hash | RocksDB composite key | Couloy/RocksDB |\n|---|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, double[]>> e : rows.entrySet()) {
            sb.append("| ").append(e.getKey()).append(" | ").append(fmt(e.getValue().get("couloy"))).append(" | ")
                    .append(fmt(e.getValue().get("rocksdb"))).append(" | ")
                    .append(ratio(e.getValue().get("couloy"), e.getValue().get("rocksdb"))).append(" |\n");
        }
        return sb.toString();
    }

    private static String typeMemoryTable(long elements) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "### Heap bytes per element, %,d elements, 16 B members%n%n", elements));
        sb.append("| layout | measured heap bytes/element | engine's estimate | beyond the member |\n|---|---:|---:|---:|\n");
        for (TypeMemory.Result r : TypeMemory.measureAll(elements)) {
            sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", r.what(), r.heapBytesPerElement(),
                    r.estimateBytesPerElement(), r.heapBytesPerElement() - 16));
        }
        return sb.toString();
    }

    private static String fmt(double[] scoreAndError) {
        if (scoreAndError == null) {
            return "—";
        }
        return String.format(Locale.ROOT, "%,.0f ± %.0f%%", scoreAndError[0],
                scoreAndError[0] == 0 || Double.isNaN(scoreAndError[1]) ? 0 : 100 * scoreAndError[1] / scoreAndError[0]);
    }

    private static String ratio(double[] ours, double[] peer) {
        if (ours == null || peer == null || peer[0] == 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.2fx", ours[0] / peer[0]);
    }
}
