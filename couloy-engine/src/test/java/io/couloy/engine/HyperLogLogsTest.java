package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HyperLogLogsTest {
    @TempDir
    Path dir;

    private CouloyDB open() {
        return CouloyDB.open(Options.builder(dir).mergeInterval(Duration.ZERO).build());
    }

    private static List<byte[]> elements(int from, int to) {
        List<byte[]> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(b("element:" + i));
        }
        return out;
    }

    @Test
    void redisPageExamples() {
        try (CouloyDB db = open()) {
            HyperLogLogs h = db.hyperLogLogs();
            assertThat(h.add(b("hll"), List.of(b("a"), b("b"), b("c"), b("d"), b("e"), b("f"), b("g")))).isTrue();
            assertThat(h.count(List.of(b("hll")))).isEqualTo(7);
            assertThat(h.add(b("hll"), List.of(b("a")))).isFalse();
            h.add(b("hll1"), List.of(b("foo"), b("bar"), b("zap"), b("a")));
            h.add(b("hll2"), List.of(b("a"), b("b"), b("c"), b("foo")));
            h.merge(b("hll3"), List.of(b("hll1"), b("hll2")));
            assertThat(h.count(List.of(b("hll3")))).isEqualTo(6);
            assertThat(h.count(List.of(b("hll1"), b("hll2"), b("missing")))).isEqualTo(6);
            assertThat(h.add(b("empty"), List.of())).isTrue();
            assertThat(h.add(b("empty"), List.of())).isFalse();
            assertThat(h.count(List.of(b("empty")))).isZero();
        }
    }

    @Test
    void errorStaysWithinRedisBound_andEncodingTurnsDense() {
        try (CouloyDB db = open()) {
            HyperLogLogs h = db.hyperLogLogs();
            for (int i = 0; i < 200_000; i += 1000) {
                h.add(b("big"), elements(i, i + 1000));
            }
            long count = h.count(List.of(b("big")));
            // 0.81% standard error: three sigmas is 2.4%.
            assertThat(Math.abs(count - 200_000) / 200_000.0).isLessThan(0.025);
            assertThat(db.get(b("big"))).hasSize(12_304);
            h.add(b("small"), elements(0, 10));
            assertThat(db.get(b("small")).length).isLessThan(100);
            assertThat(db.get(b("small"))[4]).as("sparse encoding").isEqualTo((byte) 1);
        }
    }

    @Test
    void notAHyperLogLog_isRefused() {
        try (CouloyDB db = open()) {
            db.put(b("s"), b("just a string"));
            assertThatThrownBy(() -> db.hyperLogLogs().add(b("s"), List.of(b("x"))))
                    .isInstanceOf(InvalidValueException.class).hasMessage("Key is not a valid HyperLogLog string value.");
            db.sets().add(b("set"), List.of(b("x")));
            assertThatThrownBy(() -> db.hyperLogLogs().count(List.of(b("set")))).isInstanceOf(WrongTypeException.class);
        }
    }

    @Test
    void countsAndBytesInterchangeWithRealRedis() throws Exception {
        Assumptions.assumeTrue(RealRedis.available(), "redis-server is not installed");
        try (CouloyDB db = open(); RealRedis redis = new RealRedis()) {
            HyperLogLogs h = db.hyperLogLogs();
            int[] sizes = {1, 2, 10, 100, 1000, 3000, 10_000, 50_000};
            int done = 0;
            for (int size : sizes) {
                List<byte[]> batch = elements(done, size);
                for (int i = 0; i < batch.size(); i += 500) {
                    List<byte[]> part = batch.subList(i, Math.min(batch.size(), i + 500));
                    h.add(b("ours"), part);
                    byte[][] args = new byte[part.size() + 2][];
                    args[0] = b("PFADD");
                    args[1] = b("theirs");
                    for (int j = 0; j < part.size(); j++) {
                        args[j + 2] = part.get(j);
                    }
                    redis.call(args);
                }
                done = size;
                long theirs = (Long) redis.call("PFCOUNT", "theirs");
                assertThat(h.count(List.of(b("ours")))).as("count of %d elements", size).isEqualTo(theirs);
                // Their bytes (sparse or dense) read here; ours read there.
                db.put(b("copied"), (byte[]) redis.call("GET", "theirs"));
                assertThat(h.count(List.of(b("copied")))).isEqualTo(theirs);
                redis.call(b("SET"), b("fromus"), db.get(b("ours")));
                assertThat((Long) redis.call("PFCOUNT", "fromus")).isEqualTo(theirs);
            }
        }
    }
}
