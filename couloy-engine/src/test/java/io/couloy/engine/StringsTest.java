package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static io.couloy.engine.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of Redis's command pages for strings and bitmaps, and the rules around them. */
class StringsTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();

    private CouloyDB open() {
        return CouloyDB.open(Options.builder(dir).clock(clock).mergeInterval(Duration.ZERO).build());
    }

    private static byte[] bytes(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    @Test
    void setBitAndGetBit() {
        try (CouloyDB db = open()) {
            Strings str = db.strings();
            assertThat(str.setBit(b("mykey"), 7, 1)).isZero();
            assertThat(str.setBit(b("mykey"), 7, 0)).isEqualTo(1);
            assertThat(str.getBit(b("mykey"), 0)).isZero();
            assertThat(str.getBit(b("mykey"), 100)).isZero();
            assertThat(str.setBit(b("grow"), 20, 1)).isZero();
            assertThat(db.get(b("grow"))).isEqualTo(bytes(0, 0, 0x08));
            assertThatThrownBy(() -> str.setBit(b("x"), 1, 2)).hasMessage("bit is not an integer or out of range");
            assertThatThrownBy(() -> str.setBit(b("x"), 1L << 32, 1))
                    .hasMessage("bit offset is not an integer or out of range");
        }
    }

    @Test
    void bitCount() {
        try (CouloyDB db = open()) {
            db.put(b("mykey"), b("foobar"));
            Strings str = db.strings();
            assertThat(str.bitCount(b("mykey"))).isEqualTo(26);
            assertThat(str.bitCount(b("mykey"), 0, 0, false)).isEqualTo(4);
            assertThat(str.bitCount(b("mykey"), 1, 1, false)).isEqualTo(6);
            assertThat(str.bitCount(b("mykey"), 5, 30, true)).isEqualTo(17);
            assertThat(str.bitCount(b("mykey"), -2, -1, false)).isEqualTo(7);
            assertThat(str.bitCount(b("mykey"), 4, 2, false)).isZero();
            assertThat(str.bitCount(b("missing"), 0, -1, false)).isZero();
        }
    }

    @Test
    void bitPos() {
        try (CouloyDB db = open()) {
            Strings str = db.strings();
            db.put(b("mykey"), bytes(0xff, 0xf0, 0x00));
            assertThat(str.bitPos(b("mykey"), 0, null, null, false)).isEqualTo(12);
            db.put(b("mykey"), bytes(0x00, 0xff, 0xf0));
            assertThat(str.bitPos(b("mykey"), 1, 0L, null, false)).isEqualTo(8);
            assertThat(str.bitPos(b("mykey"), 1, 2L, null, false)).isEqualTo(16);
            assertThat(str.bitPos(b("mykey"), 1, 2L, -1L, false)).isEqualTo(16);
            assertThat(str.bitPos(b("mykey"), 1, 7L, 15L, true)).isEqualTo(8);
            db.put(b("mykey"), bytes(0, 0, 0));
            assertThat(str.bitPos(b("mykey"), 1, null, null, false)).isEqualTo(-1);
            assertThat(str.bitPos(b("mykey"), 1, 7L, -3L, true)).isEqualTo(-1);
            db.put(b("ones"), bytes(0xff, 0xff));
            assertThat(str.bitPos(b("ones"), 0, null, null, false)).as("zero padding on the right").isEqualTo(16);
            assertThat(str.bitPos(b("ones"), 0, 0L, -1L, false)).as("explicit end: no padding").isEqualTo(-1);
            assertThat(str.bitPos(b("missing"), 0, null, null, false)).isZero();
            assertThat(str.bitPos(b("missing"), 1, null, null, false)).isEqualTo(-1);
        }
    }

    @Test
    void bitOp() {
        try (CouloyDB db = open()) {
            db.put(b("key1"), b("foobar"));
            db.put(b("key2"), b("abcdef"));
            Strings str = db.strings();
            assertThat(str.bitOp(Strings.BitOperation.AND, b("dest"), List.of(b("key1"), b("key2")))).isEqualTo(6);
            assertThat(s(db.get(b("dest")))).isEqualTo("`bc`ab");
            db.put(b("short"), bytes(0xff));
            assertThat(str.bitOp(Strings.BitOperation.OR, b("dest"), List.of(b("short"), b("missing")))).isEqualTo(1);
            assertThat(str.bitOp(Strings.BitOperation.XOR, b("dest"), List.of(b("short"), b("key1")))).isEqualTo(6);
            assertThat(db.get(b("dest"))[0]).isEqualTo((byte) ('f' ^ 0xff));
            assertThat(str.bitOp(Strings.BitOperation.NOT, b("dest"), List.of(b("short")))).isEqualTo(1);
            assertThat(db.get(b("dest"))).isEqualTo(bytes(0));
            assertThat(str.bitOp(Strings.BitOperation.AND, b("dest"), List.of(b("missing")))).isZero();
            assertThat(db.exists(b("dest"))).isFalse();
        }
    }

    @Test
    void bitField() {
        try (CouloyDB db = open()) {
            Strings str = db.strings();
            assertThat(str.bitField(b("mykey"), List.of(
                    new Strings.IncrBy(new Strings.Field(true, 5, 100), 1, Strings.Overflow.WRAP),
                    new Strings.Get(new Strings.Field(false, 4, 0))))).containsExactly(1L, 0L);
            Strings.Field u2a = new Strings.Field(false, 2, 100);
            Strings.Field u2b = new Strings.Field(false, 2, 102);
            long[][] expected = {{1, 1}, {2, 2}, {3, 3}, {0, 3}};
            for (long[] pair : expected) {
                assertThat(str.bitField(b("ov"), List.of(new Strings.IncrBy(u2a, 1, Strings.Overflow.WRAP),
                        new Strings.IncrBy(u2b, 1, Strings.Overflow.SAT)))).containsExactly(pair[0], pair[1]);
            }
            assertThat(str.bitField(b("ov"), List.of(new Strings.IncrBy(u2b, 1, Strings.Overflow.FAIL))))
                    .containsExactly((Long) null);
            Strings.Field i8 = new Strings.Field(true, 8, 0);
            assertThat(str.bitField(b("s"), List.of(new Strings.Set(i8, 200, Strings.Overflow.WRAP),
                    new Strings.Get(i8)))).containsExactly(0L, -56L);
            assertThat(str.bitField(b("s"), List.of(new Strings.Set(i8, 200, Strings.Overflow.SAT),
                    new Strings.IncrBy(i8, -300, Strings.Overflow.SAT)))).containsExactly(-56L, -128L);
            Strings.Field i64 = new Strings.Field(true, 64, 0);
            assertThat(str.bitField(b("big"), List.of(new Strings.Set(i64, Long.MAX_VALUE, Strings.Overflow.WRAP),
                    new Strings.IncrBy(i64, 1, Strings.Overflow.WRAP)))).containsExactly(0L, Long.MIN_VALUE);
            assertThatThrownBy(() -> new Strings.Field(false, 64, 0)).isInstanceOf(InvalidValueException.class);
        }
    }

    @Test
    void countersRangesAndAppend() {
        try (CouloyDB db = open()) {
            Strings str = db.strings();
            db.put(b("mykey"), b("10"), Duration.ofSeconds(100));
            assertThat(str.incrementBy(b("mykey"), 1)).isEqualTo(11);
            assertThat(db.ttl(b("mykey"))).as("INCR keeps the expiry").isEqualTo(100_000);
            db.put(b("mykey"), b("234293482390480948029348230948"));
            assertThatThrownBy(() -> str.incrementBy(b("mykey"), 1))
                    .hasMessage("value is not an integer or out of range");
            db.put(b("f"), b("10.50"));
            assertThat(s(str.incrementByFloat(b("f"), b("0.1")))).isEqualTo("10.6");
            assertThat(s(str.incrementByFloat(b("f"), b("-5")))).isEqualTo("5.6");
            db.put(b("f"), b("5.0e3"));
            assertThat(s(str.incrementByFloat(b("f"), b("2.0e2")))).isEqualTo("5200");
            db.put(b("r"), b("This is a string"));
            assertThat(s(str.range(b("r"), 0, 3))).isEqualTo("This");
            assertThat(s(str.range(b("r"), -3, -1))).isEqualTo("ing");
            assertThat(s(str.range(b("r"), 0, -1))).isEqualTo("This is a string");
            assertThat(s(str.range(b("r"), 10, 100))).isEqualTo("string");
            db.put(b("key1"), b("Hello World"));
            assertThat(str.setRange(b("key1"), 6, b("Redis"))).isEqualTo(11);
            assertThat(s(db.get(b("key1")))).isEqualTo("Hello Redis");
            assertThat(str.setRange(b("key2"), 6, b("Redis"))).isEqualTo(11);
            assertThat(db.get(b("key2"))).isEqualTo(concat(new byte[6], b("Redis")));
            assertThat(str.setRange(b("none"), 3, new byte[0])).isZero();
            assertThat(db.exists(b("none"))).isFalse();
            assertThat(str.append(b("a"), b("Hello"))).isEqualTo(5);
            assertThat(str.append(b("a"), b(" World"))).isEqualTo(11);
            assertThat(str.length(b("a"))).isEqualTo(11);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void setOptions() {
        try (CouloyDB db = open()) {
            Strings str = db.strings();
            long soon = clock.millis() + 5_000;
            assertThat(str.set(b("k"), b("1"), Strings.Condition.IF_PRESENT, 0, false, false).written()).isFalse();
            assertThat(str.set(b("k"), b("1"), Strings.Condition.IF_ABSENT, soon, false, false).written()).isTrue();
            assertThat(str.set(b("k"), b("2"), Strings.Condition.IF_ABSENT, 0, false, false).written()).isFalse();
            Strings.SetResult r = str.set(b("k"), b("3"), Strings.Condition.ALWAYS, 0, true, true);
            assertThat(s(r.previous())).isEqualTo("1");
            assertThat(db.ttl(b("k"))).as("KEEPTTL").isEqualTo(5_000);
            str.set(b("k"), b("4"), Strings.Condition.ALWAYS, 0, false, false);
            assertThat(db.ttl(b("k"))).isEqualTo(-1);
            str.set(b("k"), b("5"), Strings.Condition.ALWAYS, clock.millis() - 1, false, false);
            assertThat(db.exists(b("k"))).as("an expiry in the past deletes").isFalse();
            db.hashes().set(b("h"), b("f"), b("v"));
            assertThatThrownBy(() -> str.set(b("h"), b("x"), Strings.Condition.ALWAYS, 0, false, true))
                    .isInstanceOf(WrongTypeException.class);
            assertThat(str.set(b("h"), b("x"), Strings.Condition.ALWAYS, 0, false, false).written()).isTrue();
            assertThat(db.type(b("h"))).isEqualTo(KeyType.STRING);
            assertThat(s(str.getAndDelete(b("h")))).isEqualTo("x");
            assertThat(db.exists(b("h"))).isFalse();
            db.put(b("g"), b("v"));
            assertThat(s(str.getAndExpire(b("g"), clock.millis() + 1000, false))).isEqualTo("v");
            assertThat(db.ttl(b("g"))).isEqualTo(1000);
            assertThat(s(str.getAndExpire(b("g"), 0, true))).isEqualTo("v");
            assertThat(db.ttl(b("g"))).isEqualTo(-1);
        }
    }
}
