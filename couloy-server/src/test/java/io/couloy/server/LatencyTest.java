package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.net.CouloyServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** Past latency-monitor-threshold a command becomes a LATENCY sample: LATEST, HISTORY, DOCTOR, GRAPH, RESET see it. */
class LatencyTest {
    @TempDir
    Path dir;

    @Test
    void slowCommands_becomeSamples_untilReset() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); RawClient c = new RawClient(server.port());
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(c.call("DEBUG", "SLEEP", "0.03")).isEqualTo("+OK\r\n");
            assertThat(c.call("LATENCY", "LATEST")).as("off by default").isEqualTo("*0\r\n");
            assertThat(c.call("CONFIG", "SET", "latency-monitor-threshold", "20")).isEqualTo("+OK\r\n");
            c.call("SET", "fast", "1"); // well under 20 ms: no sample
            assertThat(c.call("DEBUG", "SLEEP", "0.05")).isEqualTo("+OK\r\n");
            @SuppressWarnings("unchecked")
            List<Object> latest = (List<Object>) j.sendCommand(() -> "LATENCY".getBytes(), "LATEST");
            assertThat(latest).hasSize(1);
            List<?> event = (List<?>) latest.getFirst();
            assertThat(new String((byte[]) event.get(0))).isEqualTo("command");
            assertThat((Long) event.get(2)).isBetween(50L, 5_000L);
            assertThat((Long) event.get(3)).isEqualTo(event.get(2));
            assertThat(c.call("LATENCY", "HISTORY", "command")).startsWith("*1\r\n*2\r\n:");
            assertThat(c.call("LATENCY", "DOCTOR")).contains("1. command: 1 latency spikes");
            assertThat(c.call("LATENCY", "GRAPH", "command")).contains("command - high");
            assertThat(c.call("LATENCY", "RESET")).isEqualTo(":1\r\n");
            assertThat(c.call("LATENCY", "LATEST")).isEqualTo("*0\r\n");
        }
    }
}
