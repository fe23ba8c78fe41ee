package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static io.couloy.engine.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ScanTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void scan_returnsEveryKeyPresentThroughout_whileTheTableGrowsAndKeysComeAndGo(IndexType type) {
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).indexType(type).mergeInterval(Duration.ZERO).build())) {
            for (int i = 0; i < 500; i++) {
                db.put(b("stable" + i), b("v"));
            }
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            int step = 0;
            do {
                CouloyDB.ScanResult r = db.scan(cursor, 10, null);
                r.keys().forEach(k -> seen.add(s(k)));
                cursor = r.cursor();
                // Between steps: grow the table several times over, then delete what was added.
                if (step < 20) {
                    for (int i = 0; i < 500; i++) {
                        db.put(b("churn" + step + ":" + i), b("x"));
                    }
                } else if (step < 40) {
                    for (int i = 0; i < 500; i++) {
                        db.delete(b("churn" + (step - 20) + ":" + i));
                    }
                }
                step++;
            } while (cursor != 0);
            for (int i = 0; i < 500; i++) {
                assertThat(seen).contains("stable" + i);
            }
        }
    }

    @Test
    void scan_appliesMatch_andSkipsExpiredKeys() {
        TestClock clock = new TestClock();
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).clock(clock).mergeInterval(Duration.ZERO).build())) {
            db.put(b("user:1"), b("a"));
            db.put(b("user:2"), b("a"), Duration.ofSeconds(1));
            db.put(b("order:1"), b("a"));
            clock.advance(Duration.ofSeconds(2));
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            do {
                CouloyDB.ScanResult r = db.scan(cursor, 100, GlobPattern.compile(b("user:*")));
                r.keys().forEach(k -> seen.add(s(k)));
                cursor = r.cursor();
            } while (cursor != 0);
            assertThat(seen).containsExactly("user:1");
        }
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "*|anything|true", "*|''|true", "h?llo|hello|true", "h?llo|hllo|false", "h*llo|heeeello|true",
        "h[ae]llo|hallo|true", "h[ae]llo|hillo|false", "h[^e]llo|hallo|true", "h[^e]llo|hello|false",
        "h[a-b]llo|hbllo|true", "h[b-a]llo|hallo|true", "h[a-b]llo|hcllo|false", "h\\*llo|h*llo|true",
        "h\\*llo|hello|false", "user:*:name|user:42:name|true", "user:*:name|user:42:age|false",
        "a*b*c|abc|true", "a*b*c|aXbYc|true", "a*b*c|acb|false", "*a|ba|true", "a**|a|true",
        "[abc|a|true", "[abc|d|false", "''|''|true", "''|a|false"})
    void glob_matchesLikeRedis(String pattern, String subject, boolean expected) {
        assertThat(GlobPattern.compile(b(pattern)).matches(b(subject))).isEqualTo(expected);
    }

    @Test
    void scan_filtersByType() {
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).mergeInterval(Duration.ZERO).build())) {
            db.put(b("s1"), b("v"));
            db.hashes().set(b("h1"), b("f"), b("v"));
            db.sets().add(b("set1"), java.util.List.of(b("m")));
            db.zsets().add(b("z1"), java.util.List.of(new ZSets.Entry(b("m"), 1)), ZSets.AddOptions.NONE);
            db.lists().pushLeft(b("l1"), java.util.List.of(b("e")));
            for (KeyType t : KeyType.values()) {
                Set<String> seen = new HashSet<>();
                long cursor = 0;
                do {
                    CouloyDB.ScanResult r = db.scan(cursor, 100, null, t);
                    r.keys().forEach(k -> seen.add(s(k)));
                    cursor = r.cursor();
                } while (cursor != 0);
                assertThat(seen).as(t.name()).hasSize(1);
                assertThat(db.type(b(seen.iterator().next()))).isEqualTo(t);
            }
        }
    }
}
