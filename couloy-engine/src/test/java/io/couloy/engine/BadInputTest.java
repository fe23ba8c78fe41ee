package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadInputTest {
    @TempDir
    Path dir;

    private CouloyDB open() {
        return CouloyDB.open(Options.builder(dir).maxValueSize(1024).maxKeySize(64).build());
    }

    @Test
    void nullEmptyOrOversizedKeys_areRejectedAndNothingIsWritten() {
        try (CouloyDB db = open()) {
            long before = db.stats().totalBytes();
            assertThatThrownBy(() -> db.put(null, b("v"))).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
            assertThatThrownBy(() -> db.get(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> db.put(new byte[0], b("v"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty");
            assertThatThrownBy(() -> db.put(new byte[65], b("v"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxKeySize 64");
            assertThatThrownBy(() -> db.put(b("k"), null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("value");
            assertThatThrownBy(() -> db.put(b("k"), new byte[1025])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxValueSize 1024");
            assertThatThrownBy(() -> db.put(b("k"), b("v"), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ttl must be positive");
            assertThat(db.stats().totalBytes()).isEqualTo(before);
            assertThat(db.stats().keyCount()).isZero();
        }
    }

    @Test
    void batchWithOneBadOperation_writesNothing() {
        try (CouloyDB db = open()) {
            WriteBatch batch = new WriteBatch().put(b("ok"), b("v")).put(b("big"), new byte[2048]);
            assertThatThrownBy(() -> db.write(batch)).isInstanceOf(IllegalArgumentException.class);
            assertThat(db.get(b("ok"))).isNull();
            assertThat(db.stats().totalBytes()).isZero();
        }
    }

    @Test
    void useAfterClose_throwsDatabaseClosed() {
        CouloyDB db = open();
        db.put(b("k"), b("v"));
        db.close();
        db.close(); // idempotent
        assertThatThrownBy(() -> db.get(b("k"))).isInstanceOf(DatabaseClosedException.class);
        assertThatThrownBy(() -> db.put(b("k"), b("v"))).isInstanceOf(DatabaseClosedException.class);
        assertThatThrownBy(() -> db.delete(b("k"))).isInstanceOf(DatabaseClosedException.class);
        assertThatThrownBy(db::stats).isInstanceOf(DatabaseClosedException.class);
        assertThatThrownBy(db::merge).isInstanceOf(DatabaseClosedException.class);
    }

    @Test
    void openingAForeignDirectory_failsAndTouchesNothing() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "not a database");
        assertThatThrownBy(() -> CouloyDB.open(Options.builder(dir).build()))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("not a CouloyDB data directory");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }

    @Test
    void openingAnotherFormatVersion_fails() throws IOException {
        Files.writeString(dir.resolve("VERSION"), "couloydb 99\n");
        assertThatThrownBy(() -> CouloyDB.open(Options.builder(dir).build()))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("unsupported format 'couloydb 99'");
    }

    @Test
    void openingAFileInsteadOfADirectory_fails() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> CouloyDB.open(Options.builder(file).build()))
                .isInstanceOf(FormatException.class).hasMessageContaining("is not a directory");
    }

    @Test
    void secondOpenOfTheSameDirectory_isRefused_andTheFirstKeepsWorking() {
        try (CouloyDB db = open()) {
            assertThatThrownBy(this::open).isInstanceOf(DatabaseLockedException.class)
                    .hasMessageContaining("already open");
            db.put(b("k"), b("v"));
            assertThat(db.get(b("k"))).isEqualTo(b("v"));
        }
        try (CouloyDB again = open()) {
            assertThat(again.get(b("k"))).isEqualTo(b("v"));
        }
    }

    @Test
    void readOnly_refusesWrites_andReads() {
        try (CouloyDB db = open()) {
            db.put(b("k"), b("v"));
        }
        try (CouloyDB ro = CouloyDB.open(Options.builder(dir).readOnly(true).build())) {
            assertThat(ro.get(b("k"))).isEqualTo(b("v"));
            assertThatThrownBy(() -> ro.put(b("k"), b("w"))).isInstanceOf(ReadOnlyException.class);
            assertThatThrownBy(() -> ro.delete(b("k"))).isInstanceOf(ReadOnlyException.class);
            assertThatThrownBy(ro::merge).isInstanceOf(ReadOnlyException.class);
        }
    }

    @Test
    void invalidOptions_nameTheField() {
        assertThatThrownBy(() -> Options.builder(dir).dataFileSize(10).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dataFileSize");
        assertThatThrownBy(() -> Options.builder(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("directory");
        assertThatThrownBy(() -> Options.builder(dir).mergeDeadRatio(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mergeDeadRatio");
        assertThatThrownBy(() -> Options.builder(dir).maxKeySize(70_000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxKeySize");
    }
}
