package io.couloy.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's embedded example, and checks the README still shows exactly this code. */
class ReadmeExampleTest {
    @TempDir
    Path tmp;

    @Test
    void readmeExample_runs() {
        Path dataDir = tmp.resolve("data");
        Path backupDir = tmp.resolve("backup");
        List<String> printed = new ArrayList<>();
        // README-BEGIN
        try (CouloyDB db = CouloyDB.open(Options.builder(dataDir)
                .syncPolicy(SyncPolicy.ALWAYS)   // put() returns once fsynced; concurrent writers share fsyncs
                .indexType(IndexType.BTREE)      // adds ordered prefix and range scans
                .build())) {
            db.put("user:1".getBytes(UTF_8), "Ada".getBytes(UTF_8));
            db.put("session:9".getBytes(UTF_8), "token".getBytes(UTF_8), Duration.ofMinutes(30));
            byte[] name = db.get("user:1".getBytes(UTF_8));   // null when absent

            db.write(new WriteBatch()                          // all or nothing, also across a crash
                    .put("user:2".getBytes(UTF_8), "Grace".getBytes(UTF_8))
                    .put("user:3".getBytes(UTF_8), "Edsger".getBytes(UTF_8))
                    .delete("user:1".getBytes(UTF_8)));

            IteratorOptions users = IteratorOptions.builder().prefix("user:".getBytes(UTF_8)).build();
            try (EntryIterator it = db.iterator(users)) {
                it.forEachRemaining(e -> printed.add(new String(e.key(), UTF_8) + "=" + new String(e.value(), UTF_8)));
            }
            long ttlMillis = db.ttl("session:9".getBytes(UTF_8));  // -2 absent, -1 no expiry

            db.merge();                 // reclaim dead space now (it also runs by itself)
            db.backup(backupDir);       // a consistent copy while running
            // README-END
            assertThat(new String(name, UTF_8)).isEqualTo("Ada");
            assertThat(ttlMillis).isBetween(1L, Duration.ofMinutes(30).toMillis());
        }
        assertThat(printed).containsExactly("user:2=Grace", "user:3=Edsger");
        try (CouloyDB copy = CouloyDB.open(Options.builder(backupDir).build())) {
            assertThat(copy.get("user:3".getBytes(UTF_8))).isEqualTo("Edsger".getBytes(UTF_8));
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void readmeTypesExample_runs() {
        try (CouloyDB db = CouloyDB.open(Options.builder(tmp.resolve("types")).build())) {
            // TYPES-BEGIN
            Hashes hashes = db.hashes();
            hashes.set(b("user:1"), List.of(new Hashes.FieldValue(b("name"), b("Ada")),
                    new Hashes.FieldValue(b("visits"), b("0"))));                  // HSET
            long visits = hashes.incrementBy(b("user:1"), b("visits"), 1);          // HINCRBY: 1

            db.lists().pushLeft(b("queue"), List.of(b("job-1"), b("job-2")));        // LPUSH
            byte[] job = db.lists().pop(b("queue"), Lists.End.RIGHT);               // RPOP: job-1

            db.zsets().add(b("board"), List.of(new ZSets.Entry(b("ada"), 120),
                    new ZSets.Entry(b("grace"), 95)), ZSets.AddOptions.NONE);        // ZADD
            Long rank = db.zsets().rank(b("board"), b("ada"), true);                // ZREVRANK: 0

            db.update(txn -> {                            // like MULTI/EXEC: one atomic, durable group
                txn.queue(d -> d.sets().add(b("online"), List.of(b("ada"))));
                txn.queue(d -> d.hashes().set(b("user:1"), b("seen"), b("now")));
            });

            Object name = db.eval(b("return redis.call('HGET', KEYS[1], 'name')"),   // EVAL: Ada
                    List.of(b("user:1")), List.of());
            // TYPES-END
            assertThat(visits).isEqualTo(1);
            assertThat(new String(job, UTF_8)).isEqualTo("job-1");
            assertThat(rank).isZero();
            assertThat(db.sets().contains(b("online"), b("ada"))).isTrue();
            assertThat(new String((byte[]) name, UTF_8)).isEqualTo("Ada");
        }
    }

    @Test
    void readme_showsTheseExamples() throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/couloy/engine/ReadmeExampleTest.java"));
        String readme = Files.readString(Path.of("../README.md"));
        for (String marker : List.of("README", "TYPES")) {
            String begin = "// " + marker + "-BEGIN\n";
            String example = source.substring(source.indexOf(begin) + begin.length(),
                    source.indexOf("            // " + marker + "-END"));
            assertThat(normalize(readme)).as(marker).contains(normalize(example));
        }
    }

    private static String normalize(String code) {
        StringBuilder sb = new StringBuilder();
        for (String line : code.split("\n")) {
            if (!line.isBlank()) {
                sb.append(line.strip()).append('\n');
            }
        }
        return sb.toString();
    }
}
