package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.net.CouloyServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
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

    /** Every class Redis's 'A' covers, over the whole compatibility script. */
    @org.junit.jupiter.api.Test
    void eventsMatchRealRedis() throws Exception {
        compare("KEA", RedisCompatibilityTest.SCRIPT);
    }

    /** Every class, key misses and new keys (m and n) included, over the whole compatibility script. */
    @org.junit.jupiter.api.Test
    void everyClassMatchesRealRedis() throws Exception {
        compare("KEAmn", RedisCompatibilityTest.SCRIPT);
    }

    /** Key misses and new keys (classes m and n) on their own, for reads, writes and their lookups. */
    @org.junit.jupiter.api.Test
    void keyMissAndNewKeyEventsMatchRealRedis() throws Exception {
        compare("KEAmn", new String[][] {
            {"GET", "missing"}, {"SET", "a", "1"}, {"SET", "a", "2"}, {"HSET", "h", "f", "v"}, {"HGET", "h", "nope"},
            {"HGET", "nohash", "f"}, {"LPUSH", "l", "x"}, {"RPUSH", "l", "y"}, {"MGET", "a", "nothere", "h"},
            {"EXISTS", "nothere"}, {"TYPE", "nothere"}, {"TTL", "nothere"}, {"LRANGE", "nolist", "0", "-1"},
            {"SADD", "s", "m"}, {"ZADD", "z", "1", "m"}, {"ZSCORE", "noz", "m"}, {"INCR", "n"}, {"MSET", "a", "3", "b", "4"},
            {"OBJECT", "ENCODING", "nothere"}, {"SMEMBERS", "nos"}, {"SETEX", "e", "100", "v"},
        });
    }

    private void compare(String classes, String[][] script) throws Exception {
        Assumptions.assumeTrue(RedisProcess.available(), "redis-server is not installed");
        try (RedisProcess redis = new RedisProcess(); CouloyServer ours = ServerFixture.start(dir)) {
            List<List<String>> expected = events(redis.port(), classes, script);
            List<List<String>> actual = events(ours.port(), classes, script);
            List<String> diff = new ArrayList<>();
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
    private static List<List<String>> events(int port, String classes, String[][] script) throws IOException {
        try (RawClient sub = new RawClient(port); RawClient writer = new RawClient(port); RawClient marker = new RawClient(port)) {
            writer.call("CONFIG", "SET", "notify-keyspace-events", classes);
            sub.call("PSUBSCRIBE", "__key*__:*");
            for (String[] cmd : script) {
                if (!(cmd[0].equals("CONFIG") && cmd.length > 1 && cmd[1].equals("SET"))) { // keep the classes under test
                    writer.call(cmd);
                }
                marker.call("PUBLISH", "__keyevent@0__:mark", "mark");
            }
            List<List<String>> out = new ArrayList<>();
            List<String> current = new ArrayList<>();
            while (out.size() < script.length) {
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
