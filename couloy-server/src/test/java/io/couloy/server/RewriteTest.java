package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.config.ServerConfig;
import io.couloy.server.net.CouloyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** BGREWRITEAOF merges every open database in the background: the dead records' space comes back, the data stays. */
class RewriteTest {
    @TempDir
    Path dir;

    private long dataBytes() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("db0"))) {
            long total = 0;
            for (Path p : files.filter(p -> p.toString().endsWith(".data")).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }

    @Test
    void bgrewriteaof_reclaimsOverwrittenValues_andKeepsTheLatest() throws Exception {
        ServerConfig config = ServerConfig.defaults().with("port", "0").with("dir", dir.toString())
                .with("data-file-size", "64kb").with("merge-interval", "0");
        try (CouloyServer server = new CouloyServer(config).start(); Jedis j = new Jedis("127.0.0.1", server.port())) {
            String value = "x".repeat(1000);
            for (int round = 0; round < 30; round++) {
                for (int k = 0; k < 100; k++) {
                    j.set("k" + k, value + round);
                }
            }
            long before = dataBytes();
            assertThat(j.bgrewriteaof()).isEqualTo("Background append only file rewriting started");
            long until = System.nanoTime() + 20_000_000_000L;
            while (j.info("persistence").contains("aof_rewrite_in_progress:1") && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(j.info("persistence")).contains("aof_rewrite_in_progress:0");
            assertThat(dataBytes()).as("was %d bytes", before).isLessThan(before / 5);
            for (int k = 0; k < 100; k++) {
                assertThat(j.get("k" + k)).isEqualTo(value + 29);
            }
        }
    }
}
