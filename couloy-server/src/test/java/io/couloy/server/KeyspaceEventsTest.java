package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.net.CouloyServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyspace notifications compared with a real Redis: the same commands (the compatibility test's
 * whole script, errors and MULTI blocks and scripts included) run against both with
 * {@code notify-keyspace-events KEA}, and each side's stream of published events must be the same,
 * event for event and in order.
 */
class KeyspaceEventsTest {
    @TempDir
    Path dir;

    @Test
    void eventsMatchRealRedis() throws Exception {
        Assumptions.assumeTrue(RedisProcess.available(), "redis-server is not installed");
        try (RedisProcess redis = new RedisProcess(); CouloyServer ours = ServerFixture.start(dir)) {
            List<List<String>> expected = events(redis.port());
            List<List<String>> actual = events(ours.port());
            List<String> diff = new ArrayList<>();
            String[][] script = RedisCompatibilityTest.SCRIPT;
            for (int i = 0; i < script.length; i++) {
                if (!expected.get(i).equals(actual.get(i))) {
                    diff.add(String.join(" ", script[i]) + "\n    redis:  " + expected.get(i) + "\n    couloy: " + actual.get(i));
                }
            }
            assertThat(diff).as("commands whose events differ").isEmpty();
        }
    }

    /**
     * Runs the script on a server and returns, per command, the events it published as
     * "channel payload". After each command another connection publishes a marker (the writer may be inside MULTI), so events are
     * grouped by the command that caused them.
     */
    private static List<List<String>> events(int port) throws IOException {
        try (RawClient sub = new RawClient(port); RawClient writer = new RawClient(port); RawClient marker = new RawClient(port)) {
            writer.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            sub.call("PSUBSCRIBE", "__key*__:*");
            for (String[] cmd : RedisCompatibilityTest.SCRIPT) {
                writer.call(cmd);
                marker.call("PUBLISH", "__keyevent@0__:mark", "mark");
            }
            List<List<String>> out = new ArrayList<>();
            List<String> current = new ArrayList<>();
            while (out.size() < RedisCompatibilityTest.SCRIPT.length) {
                String m = shortForm(sub.reply());
                if (m.equals("__keyevent@0__:mark mark")) {
                    out.add(current);
                    current = new ArrayList<>();
                } else {
                    current.add(m);
                }
            }
            return out;
        }
    }

    /** "*4 $8 pmessage $10 __key*__:* $.. channel $.. payload" → "channel payload". */
    private static String shortForm(String reply) {
        String[] lines = reply.split("\r\n");
        return lines[6] + " " + lines[8];
    }
}
