package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static io.couloy.engine.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HashesTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();

    private CouloyDB open() {
        return CouloyDB.open(Options.builder(dir).clock(clock).mergeInterval(Duration.ZERO).build());
    }

    private static Hashes.FieldValue fv(String f, String v) {
        return new Hashes.FieldValue(b(f), b(v));
    }

    @Test
    void set_countsNewFields_lastValueWinsWithinOneCall() {
        try (CouloyDB db = open()) {
            Hashes h = db.hashes();
            assertThat(h.set(b("h"), List.of(fv("a", "1"), fv("b", "2"), fv("a", "3")))).isEqualTo(2);
            assertThat(h.set(b("h"), List.of(fv("a", "4"), fv("c", "5")))).isEqualTo(1);
            assertThat(s(h.get(b("h"), b("a")))).isEqualTo("4");
            assertThat(h.length(b("h"))).isEqualTo(3);
            assertThat(h.valueLength(b("h"), b("c"))).isEqualTo(1);
            assertThat(h.valueLength(b("h"), b("zz"))).isZero();
            assertThat(h.get(b("h"), List.of(b("a"), b("zz"), b("b")))).extracting(Bytes::s)
                    .containsExactly("4", null, "2");
            assertThat(db.type(b("h"))).isEqualTo(KeyType.HASH);
            assertThat(h.setIfAbsent(b("h"), b("a"), b("x"))).isFalse();
            assertThat(h.setIfAbsent(b("h"), b("d"), b(""))).isTrue();
            assertThat(h.get(b("h"), b("d"))).isEmpty();
        }
    }

    @Test
    void deletingTheLastField_deletesTheKey() {
        try (CouloyDB db = open()) {
            Hashes h = db.hashes();
            h.set(b("h"), List.of(fv("a", "1"), fv("b", "2")));
            assertThat(h.delete(b("h"), List.of(b("a"), b("a"), b("nope")))).isEqualTo(1);
            assertThat(db.exists(b("h"))).isTrue();
            assertThat(h.delete(b("h"), List.of(b("b")))).isEqualTo(1);
            assertThat(db.exists(b("h"))).isFalse();
            assertThat(db.type(b("h"))).isNull();
            assertThat(h.delete(b("h"), List.of(b("b")))).isZero();
        }
        try (CouloyDB db = open()) {
            assertThat(db.exists(b("h"))).isFalse();
        }
    }

    @Test
    void wrongType_isRefusedBothWays_andChangesNothing() {
        try (CouloyDB db = open()) {
            db.put(b("s"), b("v"));
            db.hashes().set(b("h"), b("f"), b("v"));
            assertThatThrownBy(() -> db.hashes().set(b("s"), b("f"), b("v"))).isInstanceOf(WrongTypeException.class);
            assertThatThrownBy(() -> db.hashes().get(b("s"), b("f"))).isInstanceOf(WrongTypeException.class);
            assertThatThrownBy(() -> db.get(b("h"))).isInstanceOf(WrongTypeException.class)
                    .satisfies(e -> assertThat(((WrongTypeException) e).held()).isEqualTo(KeyType.HASH));
            assertThatThrownBy(() -> db.sets().add(b("h"), List.of(b("m")))).isInstanceOf(WrongTypeException.class);
            assertThat(s(db.get(b("s")))).isEqualTo("v");
            assertThat(db.hashes().length(b("h"))).isEqualTo(1);
        }
    }

    @Test
    void putOverAHash_replacesIt_acrossReopen() {
        try (CouloyDB db = open()) {
            db.hashes().set(b("k"), b("f"), b("v"));
            db.put(b("k"), b("string"));
            assertThat(db.type(b("k"))).isEqualTo(KeyType.STRING);
            db.hashes().set(b("k2"), b("f"), b("v"));
            db.delete(b("k2"));
            db.hashes().set(b("k2"), b("g"), b("w"));
        }
        try (CouloyDB db = open()) {
            assertThat(s(db.get(b("k")))).isEqualTo("string");
            // The first incarnation's field must not come back in the second.
            assertThat(db.hashes().fields(b("k2"))).extracting(Bytes::s).containsExactly("g");
        }
    }

    @Test
    void incrementBy_followsRedisIntegerRules() {
        try (CouloyDB db = open()) {
            Hashes h = db.hashes();
            assertThat(h.incrementBy(b("h"), b("n"), 5)).isEqualTo(5);
            assertThat(h.incrementBy(b("h"), b("n"), -7)).isEqualTo(-2);
            assertThat(s(h.get(b("h"), b("n")))).isEqualTo("-2");
            for (String bad : new String[] {"abc", "+1", "01", " 1", "1 ", "", "-0", "1.5", "99999999999999999999"}) {
                h.set(b("h"), b("bad"), b(bad));
                assertThatThrownBy(() -> h.incrementBy(b("h"), b("bad"), 1)).as(bad)
                        .isInstanceOf(InvalidValueException.class).hasMessage("hash value is not an integer");
            }
            h.set(b("h"), b("max"), b(Long.toString(Long.MAX_VALUE)));
            assertThatThrownBy(() -> h.incrementBy(b("h"), b("max"), 1))
                    .isInstanceOf(InvalidValueException.class).hasMessage("increment or decrement would overflow");
            h.set(b("h"), b("min"), b(Long.toString(Long.MIN_VALUE)));
            assertThat(h.incrementBy(b("h"), b("min"), 0)).isEqualTo(Long.MIN_VALUE);
        }
    }

    @ParameterizedTest
    @CsvSource({
        // stored, increment, result — the first three are the examples of Redis's HINCRBYFLOAT page
        "10.50, 0.1, 10.6",
        "10.6, -5, 5.6",
        "5.0e3, 2.0e2, 5200",
        "0.1, 0.2, 0.3",
        "1, -1, 0",
        "-1.5, 0.5, -1",
        "3, 1e-20, 3",
        "0, 123456789012345678901234567890, 123456789012345678901234567890",
    })
    void incrementByFloat_formatsAsRedis(String stored, String increment, String result) {
        try (CouloyDB db = open()) {
            db.hashes().set(b("h"), b("f"), b(stored));
            assertThat(s(db.hashes().incrementByFloat(b("h"), b("f"), b(increment)))).isEqualTo(result);
            assertThat(s(db.hashes().get(b("h"), b("f")))).isEqualTo(result);
        }
    }

    @Test
    void incrementByFloat_refusesWhatRedisRefuses() {
        try (CouloyDB db = open()) {
            Hashes h = db.hashes();
            h.set(b("h"), b("s"), b("abc"));
            assertThatThrownBy(() -> h.incrementByFloat(b("h"), b("s"), b("1")))
                    .isInstanceOf(InvalidValueException.class).hasMessage("hash value is not a float");
            assertThatThrownBy(() -> h.incrementByFloat(b("h"), b("x"), b("nan")))
                    .isInstanceOf(InvalidValueException.class).hasMessage("value is not a valid float");
            assertThatThrownBy(() -> h.incrementByFloat(b("h"), b("x"), b("inf")))
                    .isInstanceOf(InvalidValueException.class).hasMessage("increment would produce NaN or Infinity");
            assertThat(h.exists(b("h"), b("x"))).isFalse();
        }
    }

    @Test
    void randomFields_followCountRules() {
        try (CouloyDB db = open()) {
            Hashes h = db.hashes();
            List<Hashes.FieldValue> fields = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                fields.add(fv("f" + i, "v" + i));
            }
            h.set(b("h"), fields);
            Random r = new Random(1);
            assertThat(h.randomFields(b("h"), 0, false, r)).isEmpty();
            assertThat(h.randomFields(b("h"), 100, false, r)).hasSize(50);
            List<Hashes.FieldValue> five = h.randomFields(b("h"), 5, true, r);
            assertThat(five).hasSize(5);
            assertThat(five.stream().map(f -> s(f.field())).distinct()).hasSize(5);
            five.forEach(f -> assertThat(s(f.value())).isEqualTo("v" + s(f.field()).substring(1)));
            assertThat(h.randomFields(b("h"), 30, false, r).stream().map(f -> s(f.field())).distinct()).hasSize(30);
            assertThat(h.randomFields(b("h"), -200, false, r)).hasSize(200);
            assertThat(h.randomFields(b("missing"), -3, false, r)).isEmpty();
        }
    }

    @Test
    void scan_returnsEveryStableFieldAtLeastOnce_whileFieldsComeAndGo() {
        try (CouloyDB db = open()) {
            Hashes h = db.hashes();
            List<Hashes.FieldValue> stable = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                stable.add(fv("stable" + i, "v"));
            }
            h.set(b("h"), stable);
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            int step = 0;
            do {
                ScanStep<Hashes.FieldValue> r = h.scan(b("h"), cursor, 7, null, true);
                r.items().forEach(f -> seen.add(s(f.field())));
                cursor = r.cursor();
                List<Hashes.FieldValue> churn = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    churn.add(fv("churn" + step + ":" + i, "x"));
                }
                h.set(b("h"), churn); // grows the member table several times over
                if (step > 3) {
                    h.delete(b("h"), churn.stream().map(Hashes.FieldValue::field).toList());
                }
                step++;
            } while (cursor != 0);
            for (int i = 0; i < 300; i++) {
                assertThat(seen).contains("stable" + i);
            }
            ScanStep<Hashes.FieldValue> matched = h.scan(b("h"), 0, 10_000, GlobPattern.compile(b("stable1?")), false);
            assertThat(matched.items()).hasSize(10);
        }
    }

    @Test
    void wholeHashExpires_andComesBackEmptyWhenWrittenAgain() {
        try (CouloyDB db = open()) {
            Hashes h = db.hashes();
            h.set(b("h"), List.of(fv("a", "1"), fv("b", "2")));
            assertThat(db.expire(b("h"), Duration.ofSeconds(10))).isTrue();
            assertThat(db.ttl(b("h"))).isEqualTo(10_000);
            clock.advance(Duration.ofSeconds(11));
            assertThat(h.get(b("h"), b("a"))).isNull();
            assertThat(db.type(b("h"))).isNull();
            h.set(b("h"), b("c"), b("3"));
            assertThat(h.fields(b("h"))).extracting(Bytes::s).containsExactly("c");
            assertThat(db.ttl(b("h"))).isEqualTo(-1);
        }
        try (CouloyDB db = open()) {
            assertThat(db.hashes().fields(b("h"))).extracting(Bytes::s).containsExactly("c");
        }
    }

    @Test
    void deletingALargeHash_writesOneRecord_andMergeReclaimsItsFields() {
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).dataFileSize(1 << 20).mergeInterval(Duration.ZERO).build())) {
            byte[] value = new byte[100];
            for (int batch = 0; batch < 20; batch++) {
                List<Hashes.FieldValue> fields = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    fields.add(new Hashes.FieldValue(b("field" + batch + ":" + i), value));
                }
                db.hashes().set(b("big"), fields);
            }
            db.put(b("other"), b("x"));
            long before = totalBytes(db);
            assertThat(db.delete(b("big"))).isTrue();
            assertThat(totalBytes(db) - before).as("bytes appended by the delete").isLessThan(64);
            assertThat(db.hashes().length(b("big"))).isZero();
            db.merge();
            assertThat(totalBytes(db)).as("bytes after merge").isLessThan(4096);
        }
        try (CouloyDB db = open()) {
            assertThat(db.type(b("big"))).isNull();
            assertThat(s(db.get(b("other")))).isEqualTo("x");
        }
    }

    @Test
    void fieldsSurviveMergeAndReopen_valuesStayOnDisk() {
        byte[] kilobyte = new byte[1024];
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).dataFileSize(1 << 20).mergeInterval(Duration.ZERO).build())) {
            for (int batch = 0; batch < 10; batch++) {
                List<Hashes.FieldValue> fields = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    kilobyte[0] = (byte) i;
                    fields.add(new Hashes.FieldValue(b("f" + batch + ":" + i), kilobyte.clone()));
                }
                db.hashes().set(b("h"), fields);
            }
            db.hashes().delete(b("h"), List.of(b("f0:0"), b("f0:1")));
            db.merge();
            // 10,000 fields of 1 KB: the index holds fields and locations, not the 10 MB of values.
            assertThat(db.stats().indexMemoryBytes()).isLessThan(2_000_000);
        }
        try (CouloyDB db = open()) {
            assertThat(db.hashes().length(b("h"))).isEqualTo(9998);
            assertThat(db.hashes().get(b("h"), b("f9:7"))[0]).isEqualTo((byte) 7);
            assertThat(db.hashes().get(b("h"), b("f0:1"))).isNull();
        }
    }

    private static long totalBytes(CouloyDB db) {
        return db.stats().files().stream().mapToLong(Stats.FileStats::totalBytes).sum();
    }
}
