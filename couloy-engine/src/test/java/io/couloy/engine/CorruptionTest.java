package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static io.couloy.engine.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.couloy.engine.merge.Merger;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorruptionTest {
    @TempDir
    Path dir;

    private Options options() {
        return Options.builder(dir).dataFileSize(4096).mergeInterval(Duration.ZERO).build();
    }

    /** Writes keys k0..k(n-1) with 100-byte values over many small files; returns the files. */
    private List<Path> fill(int n) throws IOException {
        try (CouloyDB db = CouloyDB.open(options())) {
            for (int i = 0; i < n; i++) {
                db.put(b("k" + i), value(i));
            }
        }
        return DataFiles.list(dir);
    }

    private static byte[] value(int i) {
        return ("v" + i + "-".repeat(100)).substring(0, 100).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void flippedByteInOldFile_withHint_failsOnlyThatKeyWithFileAndOffset() throws IOException {
        List<Path> files = fill(200);
        Path first = files.getFirst();
        DataFiles.flipByte(first, 60); // inside the first record's value (k0)
        try (CouloyDB db = CouloyDB.open(options())) {
            assertThatThrownBy(() -> db.get(b("k0")))
                    .isInstanceOf(CorruptionException.class)
                    .satisfies(e -> {
                        CorruptionException c = (CorruptionException) e;
                        assertThat(c.file().getFileName()).isEqualTo(first.getFileName());
                        assertThat(c.offset()).isZero();
                    })
                    .hasMessageContaining("k0");
            for (int i = 1; i < 200; i++) {
                assertThat(db.get(b("k" + i))).isEqualTo(value(i));
            }
        }
    }

    /**
     * A merge's scan cannot get past a damaged record, so it cannot find the live records after
     * it in that file; the index (loaded from the hint) still points at them. Merging anyway had
     * dropped them with the file. The merge now stops, naming file and offset, and loses nothing.
     */
    @Test
    void mergeOverADamagedRecord_stopsAndKeepsTheRecordsAfterIt() throws IOException {
        List<Path> files = fill(200);
        Path first = files.getFirst();
        DataFiles.flipByte(first, 60); // inside k0's value; k1.. follow it in the same file
        try (CouloyDB db = CouloyDB.open(options())) {
            assertThatThrownBy(db::merge).isInstanceOf(CorruptionException.class)
                    .satisfies(e -> assertThat(((CorruptionException) e).file().getFileName()).isEqualTo(first.getFileName()));
            for (int i = 1; i < 200; i++) {
                assertThat(db.get(b("k" + i))).as("k%d", i).isEqualTo(value(i));
            }
        }
        try (CouloyDB db = CouloyDB.open(options())) {
            for (int i = 1; i < 200; i++) {
                assertThat(db.get(b("k" + i))).as("k%d after reopen", i).isEqualTo(value(i));
            }
        }
    }

    /** The automatic merge's choice leaves out a file a merge could not read through, and goes on with the rest. */
    @Test
    void afterAMergeMetADamagedFile_theFragmentedMergeWorksAroundIt() throws IOException {
        List<Path> files = fill(200);
        DataFiles.flipByte(files.getFirst(), 60);
        try (CouloyDB db = CouloyDB.open(options())) {
            assertThatThrownBy(db::merge).isInstanceOf(CorruptionException.class);
            // The damaged first file (about 36 records) is now mostly dead, the only fragmented
            // file; only k0 (damaged) and k1 still live there. Left alone: nothing to merge.
            for (int i = 2; i < 30; i++) {
                db.put(b("k" + i), value(i + 1000));
            }
            assertThat(db.mergeFragmented().inputFiles()).isZero();
            // Later files die too: those are merged, the damaged one still left alone.
            for (int i = 100; i < 200; i++) {
                db.put(b("k" + i), value(i + 1000));
            }
            Merger.Result r = db.mergeFragmented();
            assertThat(r.inputFiles()).isPositive();
            assertThat(dir.resolve(files.getFirst().getFileName())).exists();
            for (int i = 1; i < 200; i++) {
                assertThat(db.get(b("k" + i))).as("k%d", i).isEqualTo(value(i == 1 || (i >= 30 && i < 100) ? i : i + 1000));
            }
        }
    }

    @Test
    void flippedByteInOldFile_withoutHint_isReportedAndLaterFilesSurvive() throws IOException {
        List<Path> files = fill(200);
        Path second = files.get(1);
        Files.delete(Path.of(second.toString().replace(".data", ".hint")));
        DataFiles.flipByte(second, 10);
        try (CouloyDB db = CouloyDB.open(options())) {
            assertThat(db.stats().recoveryWarnings()).anySatisfy(w -> assertThat(w)
                    .contains("corrupt data in").contains(second.getFileName().toString()).contains("offset 0"));
            // Keys written to later files are all there.
            for (int i = 100; i < 200; i++) {
                assertThat(db.get(b("k" + i))).isEqualTo(value(i));
            }
            assertThat(db.get(b("k0"))).isEqualTo(value(0));
            db.put(b("new"), b("write"));
        }
        try (CouloyDB db = CouloyDB.open(options())) {
            assertThat(s(db.get(b("new")))).isEqualTo("write");
        }
    }

    @Test
    void truncatedTail_isCutOffWithWarning_andEarlierRecordsKept() throws IOException {
        Options big = Options.builder(dir).mergeInterval(Duration.ZERO).build();
        try (CouloyDB db = CouloyDB.open(big)) {
            for (int i = 0; i < 50; i++) {
                db.put(b("k" + i), value(i));
            }
        }
        Path file = DataFiles.list(dir).getLast();
        Files.delete(Path.of(file.toString().replace(".data", ".hint"))); // as after a crash: no hint
        long size = Files.size(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size - 30); // cut into the last record
        }
        try (CouloyDB db = CouloyDB.open(big)) {
            assertThat(db.stats().recoveryWarnings()).anySatisfy(w -> assertThat(w)
                    .contains("torn tail").contains(file.getFileName().toString()));
            assertThat(db.get(b("k49"))).isNull();
            for (int i = 0; i < 49; i++) {
                assertThat(db.get(b("k" + i))).isEqualTo(value(i));
            }
            db.put(b("k49"), value(49));
        }
        try (CouloyDB db = CouloyDB.open(big)) {
            assertThat(db.get(b("k49"))).isEqualTo(value(49));
            assertThat(db.stats().recoveryWarnings()).isEmpty();
        }
    }

    @Test
    void zeroFilledTail_isTreatedAsTorn() throws IOException {
        fill(10);
        Path file = DataFiles.list(dir).getLast();
        Files.delete(Path.of(file.toString().replace(".data", ".hint")));
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() + 4096);
        }
        try (CouloyDB db = CouloyDB.open(options())) {
            assertThat(db.stats().recoveryWarnings()).anySatisfy(w -> assertThat(w).contains("torn tail"));
            for (int i = 0; i < 10; i++) {
                assertThat(db.get(b("k" + i))).isEqualTo(value(i));
            }
        }
    }

    @Test
    void missingHint_isRebuiltFromItsDataFile() throws IOException {
        List<Path> files = fill(100);
        Path hint = Path.of(files.getFirst().toString().replace(".data", ".hint"));
        Files.delete(hint);
        try (CouloyDB db = CouloyDB.open(options())) {
            for (int i = 0; i < 100; i++) {
                assertThat(db.get(b("k" + i))).isEqualTo(value(i));
            }
        }
        assertThat(hint).exists();
    }

    @Test
    void damagedHint_isReportedAndRebuilt() throws IOException {
        List<Path> files = fill(100);
        Path hint = Path.of(files.getFirst().toString().replace(".data", ".hint"));
        DataFiles.flipByte(hint, 12);
        try (CouloyDB db = CouloyDB.open(options())) {
            assertThat(db.stats().recoveryWarnings()).anySatisfy(w -> assertThat(w).contains("is damaged"));
            for (int i = 0; i < 100; i++) {
                assertThat(db.get(b("k" + i))).isEqualTo(value(i));
            }
        }
        try (CouloyDB db = CouloyDB.open(options())) {
            assertThat(db.stats().recoveryWarnings()).isEmpty();
        }
    }

    @Test
    void strayUnfinishedMergeDirectory_isDiscarded() throws IOException {
        List<Path> files = fill(100);
        Path merge = Files.createDirectories(dir.resolve("merge"));
        Files.copy(files.getFirst(), merge.resolve(files.getFirst().getFileName()));
        Files.write(merge.resolve("000000002.data"), new byte[] {1, 2, 3});
        try (CouloyDB db = CouloyDB.open(options())) {
            for (int i = 0; i < 100; i++) {
                assertThat(db.get(b("k" + i))).isEqualTo(value(i));
            }
        }
        assertThat(merge).doesNotExist();
    }

    @Test
    void committedMergeNotYetInstalled_isInstalledOnOpen() throws IOException {
        // Build the merge output in a copy, then present it as a crash right after MERGE_DONE.
        try (CouloyDB db = CouloyDB.open(options())) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 100; i++) {
                    db.put(b("k" + i), value(i + round));
                }
            }
            db.delete(b("k7"));
        }
        Path copy = dir.resolveSibling(dir.getFileName() + "-copy");
        copyTree(dir, copy);
        List<Path> before = DataFiles.list(dir);
        int maxInput = before.size();
        try (CouloyDB db = CouloyDB.open(Options.builder(copy).dataFileSize(4096).mergeInterval(Duration.ZERO).build())) {
            db.merge();
        }
        Path merge = Files.createDirectories(dir.resolve("merge"));
        StringBuilder ids = new StringBuilder();
        try (Stream<Path> s = Files.list(copy)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if ((name.endsWith(".data") || name.endsWith(".hint")) && Integer.parseInt(name.substring(0, 9)) <= maxInput) {
                    Files.copy(p, merge.resolve(name));
                    if (name.endsWith(".data")) {
                        ids.append(ids.isEmpty() ? "" : ",").append(Integer.parseInt(name.substring(0, 9)));
                    }
                }
            }
        }
        String body = "couloydb-merge 1\n" + maxInput + "\n" + ids + "\n";
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        Files.writeString(merge.resolve("MERGE_DONE"), body + Long.toHexString(crc.getValue()) + "\n");
        // Half-installed: the first output already moved into place.
        Path firstOut = merge.resolve("000000001.data");
        Files.move(firstOut, dir.resolve("000000001.data"), StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(dir.resolve("000000001.hint"));

        try (CouloyDB db = CouloyDB.open(options())) {
            for (int i = 0; i < 100; i++) {
                assertThat(db.get(b("k" + i))).isEqualTo(i == 7 ? null : value(i + 2));
            }
            assertThat(db.stats().files().size()).isLessThan(before.size());
        }
        assertThat(merge).doesNotExist();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().equals("LOCK")) {
                    Files.copy(p, to.resolve(p.getFileName()));
                }
            }
        }
    }
    /** LRANGE checks each element's record in the run it reads at once: a flipped byte in one fails the range with the file and offset. */
    @Test
    void flippedByteInAListElement_failsTheRangeWithFileAndOffset() throws IOException {
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).mergeInterval(Duration.ZERO).build())) {
            for (int i = 0; i < 50; i++) {
                db.lists().pushRight(b("list"), List.of(b(i == 20 ? "element-twenty!" : "element-" + i)));
            }
        }
        Path file = DataFiles.list(dir).getFirst();
        byte[] bytes = Files.readAllBytes(file);
        int at = indexOf(bytes, b("element-twenty!"));
        assertThat(at).isPositive();
        DataFiles.flipByte(file, at + 3);
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).mergeInterval(Duration.ZERO).build())) {
            assertThatThrownBy(() -> db.lists().range(b("list"), 0, -1))
                    .isInstanceOf(CorruptionException.class)
                    .satisfies(e -> assertThat(((CorruptionException) e).file().getFileName()).isEqualTo(file.getFileName()));
            assertThat(db.lists().range(b("list"), 0, 19)).hasSize(20); // the elements before it are fine
            assertThat(db.lists().range(b("list"), 21, -1)).hasSize(29);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
