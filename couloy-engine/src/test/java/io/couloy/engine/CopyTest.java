package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static io.couloy.engine.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RENAME / COPY of every type: members, scores, order and expiry carried over, across reopen. */
class CopyTest {
    @TempDir
    Path dir;

    private CouloyDB open() {
        return CouloyDB.open(Options.builder(dir).mergeInterval(Duration.ZERO).build());
    }

    @Test
    void renameAndCopy_everyType() {
        try (CouloyDB db = open()) {
            db.put(b("s"), b("v"), Duration.ofSeconds(100));
            db.hashes().set(b("h"), List.of(new Hashes.FieldValue(b("f"), b("1")), new Hashes.FieldValue(b("g"), b("2"))));
            db.lists().pushRight(b("l"), List.of(b("a"), b("b"), b("c")));
            db.zsets().add(b("z"), List.of(new ZSets.Entry(b("x"), -1.5), new ZSets.Entry(b("y"), 2)), ZSets.AddOptions.NONE);
            db.sets().add(b("set"), List.of(b("m")));
            assertThat(db.copy(b("s"), b("s2"), false, false)).isTrue();
            assertThat(db.copy(b("h"), b("h2"), false, false)).isTrue();
            assertThat(db.copy(b("l"), b("l2"), false, true)).isTrue();
            assertThat(db.copy(b("z"), b("z2"), false, false)).isTrue();
            assertThat(db.copy(b("set"), b("s2"), true, false)).as("NX onto an existing key").isFalse();
            assertThat(db.copy(b("missing"), b("x"), false, false)).isFalse();
        }
        try (CouloyDB db = open()) {
            assertThat(db.exists(b("s"))).isFalse();
            assertThat(s(db.get(b("s2")))).isEqualTo("v");
            assertThat(db.ttl(b("s2"))).isPositive();
            assertThat(db.type(b("h"))).isNull();
            assertThat(s(db.hashes().get(b("h2"), b("g")))).isEqualTo("2");
            assertThat(db.lists().range(b("l"), 0, -1)).extracting(Bytes::s).containsExactly("a", "b", "c");
            assertThat(db.lists().range(b("l2"), 0, -1)).extracting(Bytes::s).containsExactly("a", "b", "c");
            assertThat(db.zsets().score(b("z2"), b("x"))).isEqualTo(-1.5);
            assertThat(db.zsets().rank(b("z2"), b("y"), false)).isEqualTo(1);
            assertThat(db.sets().contains(b("set"), b("m"))).isTrue();
        }
    }
}
