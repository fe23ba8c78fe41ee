package io.couloy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL at random moments (some during merges), reopens the
 * database and checks that every acknowledged write is there and no acknowledged delete came
 * back, for strings, hash fields and set members. The seed is printed; set -Dcrash.seed=N to
 * replay a run.
 *
 * <p>Expectations are keyed "key" for strings, "H hash field" for hash fields and "S set member"
 * for set members.
 */
class CrashTest {
    /** Kept when a test fails, for tools.Inspect (its path is in the failure message). */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void sigkill_always_losesNothingAcknowledged() throws Exception {
        crashRounds(SyncPolicy.ALWAYS, 6);
    }

    @Test
    void sigkill_everySecond_losesNothingAcknowledgedToAProcessCrash() throws Exception {
        // A process crash leaves written pages in the OS cache; only a machine crash could lose the
        // last second, which SIGKILL cannot simulate.
        crashRounds(SyncPolicy.EVERY_SECOND, 3);
    }

    @Test
    void sigkill_deferredWrites_losesNothingFlushed() throws Exception {
        deferred = true;
        crashRounds(SyncPolicy.EVERY_SECOND, 4);
    }

    @Test
    @Tag("stress")
    void sigkill_deferredWrites_manyRounds() throws Exception {
        deferred = true;
        crashRounds(SyncPolicy.EVERY_SECOND, 40);
    }

    /** The worker defers writes and acknowledges them after each flushWrites(). */
    private boolean deferred;

    @Test
    @Tag("stress")
    void sigkill_always_manyRounds() throws Exception {
        crashRounds(SyncPolicy.ALWAYS, 60);
    }

    private void crashRounds(SyncPolicy policy, int rounds) throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("CrashTest " + policy + " seed=" + seed);
        Random random = new Random(seed);
        Map<String, Boolean> expected = new HashMap<>(); // key -> must exist (true) / must not (false)
        Set<String> uncertain = new HashSet<>();
        Set<String> txnAcked = new HashSet<>();
        Set<String> txnUncertain = new HashSet<>();
        // hash -> its fields' keys in expected: a whole-hash delete touches them without scanning every key
        Map<String, Set<String>> fieldsOf = new HashMap<>();
        // Hashes whose WILLDELHASH came and whose ACKDELHASH has not: fields acknowledged meanwhile
        // were set before the delete, which may or may not have reached the file.
        Set<String> hashesDeleting = new HashSet<>();
        for (int round = 0; round < rounds; round++) {
            boolean merge = round % 2 == 1;
            List<String> lines = runAndKill(policy, round, merge, random.nextLong(), 150 + random.nextInt(900));
            hashesDeleting.clear(); // a delete the last round left unacknowledged came before this round's writes
            for (String line : lines) {
                String[] parts = line.split(" ");
                switch (parts[0]) {
                    case "ACKPUT" -> expected.put(parts[1], true);
                    case "WILLDEL" -> uncertain.add(parts[1]);
                    case "ACKDEL" -> {
                        uncertain.remove(parts[1]);
                        expected.put(parts[1], false);
                    }
                    case "WILLBATCH" -> {
                        for (int i = 1; i < parts.length; i++) {
                            uncertain.add(parts[i].startsWith("-") ? parts[i].substring(1) : parts[i]);
                        }
                    }
                    case "ACKBATCH" -> {
                        for (int i = 1; i < parts.length; i++) {
                            boolean del = parts[i].startsWith("-");
                            String k = del ? parts[i].substring(1) : parts[i];
                            uncertain.remove(k);
                            expected.put(k, !del);
                        }
                    }
                    case "WILLTXN" -> txnUncertain.add(parts[1]);
                    case "ACKTXN" -> {
                        txnUncertain.remove(parts[1]);
                        txnAcked.add(parts[1]);
                    }
                    case "ACKHSET" -> {
                        String field = "H " + parts[1] + " " + parts[2];
                        expected.put(field, true);
                        fieldsOf.computeIfAbsent(parts[1], h -> new HashSet<>()).add(field);
                        if (hashesDeleting.contains(parts[1])) {
                            // A deferred worker holds ACKs back until they are flushed, but prints
                            // WILL lines at once: this field's HSET came before the delete.
                            uncertain.add(field);
                        }
                    }
                    case "ACKSADD" -> {
                        expected.put("S " + parts[1] + " " + parts[2], true);
                        expected.put("S " + parts[1] + " " + parts[2] + "+", true);
                    }
                    case "WILLHDEL" -> uncertain.add("H " + parts[1] + " " + parts[2]);
                    case "ACKHDEL" -> {
                        uncertain.remove("H " + parts[1] + " " + parts[2]);
                        expected.put("H " + parts[1] + " " + parts[2], false);
                    }
                    case "WILLDELHASH" -> {
                        uncertain.addAll(fieldsOf.getOrDefault(parts[1], Set.of()));
                        hashesDeleting.add(parts[1]);
                    }
                    case "ACKDELHASH" -> {
                        for (String k : fieldsOf.getOrDefault(parts[1], Set.of())) {
                            uncertain.remove(k);
                            expected.put(k, false);
                        }
                        hashesDeleting.remove(parts[1]);
                    }
                    default -> { }
                }
            }
            verify(policy, expected, uncertain, round, seed, lines);
            verifyTransactions(policy, txnAcked, txnUncertain, round, seed);
            assertThat(lines).as("round %d made progress", round).anyMatch(l -> l.startsWith("ACK"));
        }
    }

    private List<String> runAndKill(SyncPolicy policy, int round, boolean merge, long childSeed, long runMillis)
            throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // The worker's log and any exception it dies of: the data directory's neighbour, so
        // that a failure can say why (the last round's only; the data directory is the test's).
        Path errors = Files.createTempFile("couloy-crash-worker", ".err");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED", CrashWorker.class.getName(), dir.toString(), policy.name(),
                Integer.toString(round), merge ? "merge" : "nomerge", Long.toString(childSeed), deferred ? "deferred" : "direct")
                .redirectError(errors.toFile()).start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            // Only whole lines count: the kill may cut the last one, and a cut "ACKPUT 0:123"
            // from "ACKPUT 0:1234" would claim a write that was never acknowledged.
            StringBuilder partial = new StringBuilder();
            byte[] buf = new byte[8192];
            try (var in = p.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    partial.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        String line = partial.substring(0, nl);
                        partial.delete(0, nl + 1);
                        synchronized (lines) {
                            lines.add(line);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the pipe breaks when the child dies
            }
        });
        reader.start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            synchronized (lines) {
                if (lines.contains("READY")) {
                    break;
                }
            }
            if (!p.isAlive()) {
                List<String> log = Files.readAllLines(errors);
                throw new AssertionError("worker died before READY (round " + round + "), exit " + p.exitValue()
                        + ":\n" + String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size())));
            }
            Thread.sleep(10);
        }
        Thread.sleep(runMillis);
        // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the
        // pipe and drop acknowledgements the child printed but we had not read yet.
        p.toHandle().destroyForcibly();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        Files.deleteIfExists(errors);
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** Acknowledged transactions are whole; unacknowledged ones are whole or absent, never partial. */
    private void verifyTransactions(SyncPolicy policy, Set<String> acked, Set<String> uncertain, int round, long seed) {
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).syncPolicy(policy).build())) {
            Set<String> all = new HashSet<>(acked);
            all.addAll(uncertain);
            for (String id : all) {
                boolean put = db.get(b("t:" + id)) != null;
                boolean field = db.hashes().get(b("th"), b(id)) != null;
                boolean member = db.sets().contains(b("ts"), b(id));
                String what = "transaction " + id + " (round " + round + ", seed " + seed + "): put=" + put
                        + " field=" + field + " member=" + member;
                assertThat(put == field && field == member).as("all or nothing: " + what).isTrue();
                if (acked.contains(id)) {
                    assertThat(put).as("acknowledged: " + what).isTrue();
                }
            }
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void verify(SyncPolicy policy, Map<String, Boolean> expected, Set<String> uncertain, int round, long seed,
            List<String> lines) {
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).syncPolicy(policy).build())) {
            Object warnings = db.stats().recoveryWarnings(); // once: the message is built for every key checked
            for (Map.Entry<String, Boolean> e : expected.entrySet()) {
                String key = e.getKey();
                if (uncertain.contains(key)) {
                    continue;
                }
                String[] typed = key.split(" ");
                byte[] value = switch (typed[0]) {
                    case "H" -> db.hashes().get(b(typed[1]), b(typed[2]));
                    case "S" -> db.sets().contains(b(typed[1]), b(typed[2])) ? CrashWorker.value(typed[2]) : null;
                    default -> db.get(b(key));
                };
                if (typed.length == 3) {
                    key = typed[2];
                }
                if (e.getValue()) {
                    assertThat(value).as("acknowledged put of %s (round %d, seed %d, recovery said %s, files kept in %s)",
                                    e.getKey(), round, seed, warnings, dir)
                            .isEqualTo(CrashWorker.value(key));
                } else {
                    assertThat(value).as("acknowledged delete of %s came back (round %d, seed %d, files kept in %s)",
                                    e.getKey(), round, seed, dir)
                            .isNull();
                }
            }
        }
    }
}
