package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.net.CouloyServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lettuce connects with HELLO 3 (RESP3) by default. */
class LettuceTest {
    @TempDir
    Path dir;

    @Test
    void resp3ClientWorks() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir, "everysec", "secret")) {
            RedisClient client = RedisClient.create("redis://secret@127.0.0.1:" + server.port() + "/2");
            try (StatefulRedisConnection<String, String> conn = client.connect()) {
                RedisCommands<String, String> r = conn.sync();
                assertThat(r.ping()).isEqualTo("PONG");
                assertThat(r.set("k", "v")).isEqualTo("OK");
                assertThat(r.get("k")).isEqualTo("v");
                assertThat(r.incrbyfloat("f", 2.5)).isEqualTo(2.5);
                assertThat(r.expire("k", 50)).isTrue();
                assertThat(r.ttl("k")).isBetween(49L, 50L);
                assertThat(r.mget("k", "nope")).hasSize(2);
                assertThat(r.dbsize()).isEqualTo(2);
                // RESP3 shapes: doubles, maps, sets, score pairs
                r.zadd("z", 1.5, "a");
                r.zadd("z", -2, "b");
                assertThat(r.zscore("z", "a")).isEqualTo(1.5);
                assertThat(r.zrangeWithScores("z", 0, -1)).extracting(sv -> sv.getValue() + "=" + sv.getScore())
                        .containsExactly("b=-2.0", "a=1.5");
                r.hset("h", java.util.Map.of("f", "v", "g", "w"));
                assertThat(r.hgetall("h")).containsEntry("f", "v").containsEntry("g", "w");
                r.sadd("s", "x", "y");
                assertThat(r.smembers("s")).containsExactlyInAnyOrder("x", "y");
                assertThat(r.eval("return redis.call('ZCARD', KEYS[1])", io.lettuce.core.ScriptOutputType.INTEGER,
                        "z").toString()).isEqualTo("2");
            } finally {
                client.shutdown();
            }
        }
    }
}
