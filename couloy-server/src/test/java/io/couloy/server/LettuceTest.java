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
            } finally {
                client.shutdown();
            }
        }
    }
}
