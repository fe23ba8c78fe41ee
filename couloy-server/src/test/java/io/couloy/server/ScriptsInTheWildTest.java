package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.couloy.server.net.CouloyServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Scripts in the shape widely used clients ship (a sliding-window rate limiter, a compare-and-
 * delete lock release, a reliable job-queue move), run through Jedis and Lettuce, and a script
 * counter under 20 concurrent clients that must not lose an update.
 */
class ScriptsInTheWildTest {
    @TempDir
    Path dir;

    /** Sliding window: drop entries older than the window, admit if under the limit. */
    static final String RATE_LIMITER = """
            local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
            redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
            if redis.call('ZCARD', key) < limit then
              redis.call('ZADD', key, now, ARGV[4])
              redis.call('PEXPIRE', key, window)
              return 1
            end
            return 0
            """;

    /** Redlock-style release: delete only if the caller still holds the lock. */
    static final String UNLOCK = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            else
              return 0
            end
            """;

    /** Move the next job to the processing list and record when it started, in one step. */
    static final String TAKE_JOB = """
            local job = redis.call('RPOPLPUSH', KEYS[1], KEYS[2])
            if job then
              redis.call('HSET', KEYS[3], job, ARGV[1])
              return job
            end
            return false
            """;

    @Test
    void rateLimiterLockAndQueue_throughJedis() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); Jedis j = new Jedis("127.0.0.1", server.port())) {
            int admitted = 0;
            for (int i = 0; i < 10; i++) {
                admitted += ((Long) j.eval(RATE_LIMITER, List.of("rl:user1"), List.of(Long.toString(1_000 + i), "60000", "5",
                        "req" + i))).intValue();
            }
            assertThat(admitted).as("five requests fit the window").isEqualTo(5);
            assertThat(j.pttl("rl:user1")).isPositive();

            String sha = j.scriptLoad(UNLOCK);
            j.set("lock:a", "token-1");
            assertThat(j.evalsha(sha, List.of("lock:a"), List.of("someone-else"))).isEqualTo(0L);
            assertThat(j.get("lock:a")).isEqualTo("token-1");
            assertThat(j.evalsha(sha, List.of("lock:a"), List.of("token-1"))).isEqualTo(1L);
            assertThat(j.exists("lock:a")).isFalse();

            j.lpush("jobs", "job-1", "job-2");
            assertThat(j.eval(TAKE_JOB, List.of("jobs", "processing", "started"), List.of("1700000000"))).isEqualTo("job-1");
            assertThat(j.eval(TAKE_JOB, List.of("jobs", "processing", "started"), List.of("1700000001"))).isEqualTo("job-2");
            assertThat(j.eval(TAKE_JOB, List.of("jobs", "processing", "started"), List.of("1700000002"))).isNull();
            assertThat(j.lrange("processing", 0, -1)).containsExactly("job-2", "job-1");
            assertThat(j.hget("started", "job-1")).isEqualTo("1700000000");

            assertThat(j.eval("return redis.call('INCR', KEYS[1])", List.of("lock:b"), List.of())).isEqualTo(1L);
            j.set("text", "abc");
            assertThatThrownBy(() -> j.eval("return redis.call('INCR', KEYS[1])", List.of("text"), List.of()))
                    .isInstanceOf(JedisDataException.class).hasMessageStartingWith("ERR value is not an integer or out of range");
        }
    }

    @Test
    void conversionsAndFunctions_throughLettuce() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir)) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
            try (var conn = client.connect()) {
                RedisCommands<String, String> r = conn.sync();
                List<Object> mixed = r.eval("return {1, 'two', {3, 'four'}, redis.status_reply('OK'), 5.9, true, false}",
                        ScriptOutputType.MULTI);
                assertThat(mixed).containsExactly(1L, "two", List.of(3L, "four"), "OK", 5L, 1L, null);
                assertThat((Object) r.eval("return {1, 2, nil, 4}", ScriptOutputType.MULTI)).as("arrays stop at the first nil")
                        .isEqualTo(List.of(1L, 2L));
                assertThat((String) r.eval("return cjson.encode({ok = true})", ScriptOutputType.VALUE)).isEqualTo("{\"ok\":true}");
                r.functionLoad("#!lua name=counters\n"
                        + "redis.register_function('bump', function(keys, args) return redis.call('INCRBY', keys[1], args[1]) end)");
                assertThat((Long) r.fcall("bump", ScriptOutputType.INTEGER, new String[] {"c"}, "5")).isEqualTo(5L);
                assertThat((Long) r.fcall("bump", ScriptOutputType.INTEGER, new String[] {"c"}, "2")).isEqualTo(7L);
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void scriptCounterUnderTwentyClients_losesNoUpdate() throws Exception {
        String readModifyWrite = "local v = tonumber(redis.call('GET', KEYS[1]) or '0') redis.call('SET', KEYS[1], v + 1) return v + 1";
        try (CouloyServer server = ServerFixture.start(dir)) {
            AtomicInteger failures = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                        for (int i = 0; i < 200; i++) {
                            j.eval(readModifyWrite, List.of("counter"), List.of());
                        }
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                assertThat(failures.get()).isZero();
                assertThat(j.get("counter")).as("a GET-then-SET script is atomic").isEqualTo("4000");
            }
        }
    }
    /** LRANGE's packed reply reaches Lua as a table of strings in list order, empty ones included. */
    @Test
    void lrangeInsideAScript_isATableInOrder() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.rpush("l", "a", "", "ccc");
            assertThat(j.eval("local t = redis.call('LRANGE', KEYS[1], 0, -1) return {#t, t[1], t[2], t[3]}", 1, "l"))
                    .isEqualTo(List.of(3L, "a", "", "ccc"));
            assertThat(j.eval("return redis.call('LRANGE', KEYS[1], 5, 9)", 1, "l")).isEqualTo(List.of());
        }
    }
}
