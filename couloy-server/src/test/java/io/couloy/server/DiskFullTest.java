package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.couloy.engine.TinyFileSystem;
import io.couloy.server.net.CouloyServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The server on a disk that fills up under pipelined writes (deferred writes, everysec): the
 * batch whose records cannot be saved gets no replies (its connection is closed), every write
 * acknowledged before it is still there, and the server goes on serving reads. Needs permission to
 * mount a tmpfs (root, as on CI); skipped, and reported as skipped, where that is refused.
 */
class DiskFullTest {
    @RegisterExtension
    final TinyFileSystem disk = new TinyFileSystem("1m");

    @Test
    void aBatchThatCannotBeSaved_getsNoReplies_andEverythingAcknowledgedStays() throws Exception {
        String value = "v".repeat(900);
        List<String> acknowledged = new ArrayList<>();
        try (CouloyServer server = ServerFixture.start(disk.path().resolve("data"), c -> c.with("data-file-size", "256kb"))) {
            boolean closed = false;
            try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                for (int batch = 0; batch < 2_000 && !closed; batch++) {
                    Pipeline p = j.pipelined();
                    List<String> keys = new ArrayList<>();
                    for (int i = 0; i < 16; i++) {
                        String key = "k" + batch + ":" + i;
                        keys.add(key);
                        p.set(key, value);
                    }
                    try {
                        List<Object> replies = p.syncAndReturnAll();
                        for (int i = 0; i < replies.size(); i++) {
                            if ("OK".equals(replies.get(i))) {
                                acknowledged.add(keys.get(i));
                            }
                        }
                    } catch (JedisConnectionException e) {
                        closed = true;
                    }
                }
            }
            assertThat(closed).as("the connection whose writes could not be saved was closed").isTrue();
            assertThat(acknowledged).as("some writes fitted").isNotEmpty();
            try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                assertThat(j.ping()).isEqualTo("PONG");
                for (String key : acknowledged) {
                    assertThat(j.get(key)).as(key).isEqualTo(value);
                }
                assertThatThrownBy(() -> j.set("again", value)).isInstanceOf(JedisDataException.class)
                        .hasMessageStartingWith("MISCONF Errors writing to the AOF file: ");
            }
        }
        // What was acknowledged is in the files, not only in the memory of the instance that failed.
        assertThat(disk.resize("8m")).isTrue();
        try (CouloyServer server = ServerFixture.start(disk.path().resolve("data"), c -> c.with("data-file-size", "256kb"));
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (String key : acknowledged) {
                assertThat(j.get(key)).as(key).isEqualTo(value);
            }
            assertThat(j.set("again", value)).isEqualTo("OK");
        }
    }
}
