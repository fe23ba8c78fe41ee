package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static io.couloy.engine.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An abandoned group (a server stopping in the middle of a script) leaves none of its writes
 * after a reopen, whether recovery reads the hints or scans the data files, and the instance
 * that abandoned it takes no more writes.
 */
class AbandonGroupTest {
    @TempDir
    Path dir;

    private CouloyDB open() {
        return CouloyDB.open(Options.builder(dir).mergeInterval(Duration.ZERO).build());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void abandonedWrites_areGoneAfterReopen(boolean dropHints) throws IOException {
        try (CouloyDB db = open()) {
            db.put(b("a"), b("1"));
            db.hashes().set(b("h"), List.of(new Hashes.FieldValue(b("f"), b("old"))));
            db.atomically(() -> {
                db.put(b("a"), b("2"));
                db.put(b("b"), b("new"));
                db.hashes().set(b("h"), List.of(new Hashes.FieldValue(b("f"), b("new"))));
                db.lists().pushRight(b("l"), List.of(b("x")));
                db.abandonGroup();
                return null;
            });
            assertThatThrownBy(() -> db.put(b("c"), b("3"))).isInstanceOf(ReadOnlyException.class)
                    .hasMessageContaining("abandoned");
            assertThatThrownBy(db::merge).as("a merge would keep the records").isInstanceOf(ReadOnlyException.class);
        }
        if (dropHints) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".hint")).toList()) {
                    Files.delete(p);
                }
            }
        }
        try (CouloyDB db = open()) {
            assertThat(s(db.get(b("a")))).isEqualTo("1");
            assertThat(db.exists(b("b"))).isFalse();
            assertThat(s(db.hashes().get(b("h"), b("f")))).isEqualTo("old");
            assertThat(db.exists(b("l"))).isFalse();
            db.put(b("c"), b("3")); // a reopened instance writes again
            assertThat(s(db.get(b("c")))).isEqualTo("3");
        }
    }

    @Test
    void abandonOutsideAGroup_isRefused() {
        try (CouloyDB db = open()) {
            assertThatThrownBy(db::abandonGroup).isInstanceOf(IllegalStateException.class);
            db.put(b("a"), b("1"));
        }
    }
}
