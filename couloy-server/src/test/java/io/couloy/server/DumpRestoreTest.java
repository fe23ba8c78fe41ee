package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.net.CouloyServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DUMP and RESTORE between CouloyDB and a real Redis, both ways: every type, in the compact
 * encodings Redis uses for small values (listpacks, intsets, integer and LZF strings) and the
 * plain ones for large, must arrive with the same contents; RESTORE's refusals match Redis's.
 */
class DumpRestoreTest {
    @TempDir
    Path dir;

    /** Commands that build one key each, named after the key they build. */
    private static final String[][] BUILD = {
        {"SET", "s-small", "hello"}, {"SET", "s-int8", "-5"}, {"SET", "s-int16", "300"}, {"SET", "s-int32", "70000"},
        {"SET", "s-big-int", "123456789012"}, {"SET", "s-not-canonical", "007"},
        {"SET", "s-lzf", "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc"}, {"SET", "s-empty", ""},
        {"RPUSH", "l-small", "a", "1", "-20", "300", "70000", "5000000000", "x".repeat(70), "y".repeat(5000)},
        {"SADD", "set-ints", "1", "2", "-3", "70000", "5000000000"}, {"SADD", "set-small", "a", "b", "c"},
        {"HSET", "h-small", "f1", "v1", "f2", "12", "f3", "z".repeat(100)},
        {"ZADD", "z-small", "1", "a", "2.5", "b", "-inf", "c", "+inf", "d", "-0", "e", "100000", "f"},
        {"PFADD", "hll", "a", "b", "c"},
    };

    @Test
    void redisPayloadsRestoreHereWithTheSameContents() throws Exception {
        Assumptions.assumeTrue(RedisProcess.available(), "redis-server is not installed");
        try (RedisProcess redis = new RedisProcess(); CouloyServer ours = ServerFixture.start(dir)) {
            moveEveryKey(redis.port(), ours.port());
        }
    }

    @Test
    void ourPayloadsRestoreInRedisWithTheSameContents() throws Exception {
        Assumptions.assumeTrue(RedisProcess.available(), "redis-server is not installed");
        try (RedisProcess redis = new RedisProcess(); CouloyServer ours = ServerFixture.start(dir)) {
            moveEveryKey(ours.port(), redis.port());
        }
    }

    /** Builds every key on one server, DUMPs each and RESTOREs it on the other; contents must match. */
    private static void moveEveryKey(int fromPort, int toPort) throws IOException {
        try (RawClient from = new RawClient(fromPort); RawClient to = new RawClient(toPort)) {
            build(from);
            for (String key : keys()) {
                byte[] payload = bulk(from.call("DUMP", key));
                assertThat(call(to, "RESTORE", key, "0", payload)).as("RESTORE %s", key).isEqualTo("+OK\r\n");
                assertThat(contents(to, key)).as(key).isEqualTo(contents(from, key));
            }
        }
    }

    @Test
    void shortStringsDumpByteForByteAsRedisDoes() throws Exception {
        Assumptions.assumeTrue(RedisProcess.available(), "redis-server is not installed");
        try (RedisProcess redis = new RedisProcess(); CouloyServer ours = ServerFixture.start(dir);
                RawClient theirs = new RawClient(redis.port()); RawClient us = new RawClient(ours.port())) {
            build(theirs);
            build(us);
            for (String key : List.of("s-small", "s-int8", "s-int16", "s-int32", "s-big-int", "s-not-canonical", "s-empty")) {
                assertThat(us.call("DUMP", key)).as(key).isEqualTo(theirs.call("DUMP", key));
            }
        }
    }

    @Test
    void refusalsMatchRedis() throws Exception {
        Assumptions.assumeTrue(RedisProcess.available(), "redis-server is not installed");
        try (RedisProcess redis = new RedisProcess(); CouloyServer ours = ServerFixture.start(dir);
                RawClient theirs = new RawClient(redis.port()); RawClient us = new RawClient(ours.port())) {
            build(theirs);
            build(us);
            byte[] good = bulk(theirs.call("DUMP", "h-small"));
            byte[] badCrc = good.clone();
            badCrc[badCrc.length - 1] ^= 1;
            byte[] newer = good.clone();
            newer[newer.length - 10] = 99; // RDB version 99
            byte[] truncated = java.util.Arrays.copyOf(good, good.length - 11);
            List<Object[]> cases = List.of(
                    new Object[] {"RESTORE", "h-small", "0", good}, new Object[] {"RESTORE", "h-small", "0", good, "REPLACE"},
                    new Object[] {"RESTORE", "x1", "0", badCrc}, new Object[] {"RESTORE", "x1", "0", newer},
                    new Object[] {"RESTORE", "x1", "0", truncated}, new Object[] {"RESTORE", "x1", "1", good, "ABSTTL"},
                    new Object[] {"EXISTS", "x1"}, new Object[] {"RESTORE", "h-small", "1", good, "ABSTTL", "REPLACE"},
                    new Object[] {"EXISTS", "h-small"}, new Object[] {"RESTORE", "x2", "100000", good},
                    new Object[] {"TTL", "x2"}, new Object[] {"RESTORE", "x3", "0", good, "IDLETIME", "5", "FREQ", "5"});
            for (Object[] cmd : cases) {
                assertThat(call(us, cmd)).as(java.util.Arrays.toString(cmd)).isEqualTo(call(theirs, cmd));
            }
        }
    }

    private static List<String> keys() {
        List<String> out = new ArrayList<>();
        for (String[] b : BUILD) {
            out.add(b[1]);
        }
        out.addAll(List.of("l-big", "h-big", "z-big", "set-big")); // past Redis's listpack limits: plain encodings
        return out;
    }

    private static void build(RawClient c) throws IOException {
        for (String[] cmd : BUILD) {
            c.call(cmd);
        }
        String[] bigList = new String[302];
        String[] bigHash = new String[602];
        String[] bigZset = new String[602];
        String[] bigSet = new String[302];
        bigList[0] = "RPUSH";
        bigHash[0] = "HSET";
        bigZset[0] = "ZADD";
        bigSet[0] = "SADD";
        bigList[1] = "l-big";
        bigHash[1] = "h-big";
        bigZset[1] = "z-big";
        bigSet[1] = "set-big";
        for (int i = 0; i < 300; i++) {
            bigList[2 + i] = "e" + i;
            bigSet[2 + i] = "m" + i;
            bigHash[2 + 2 * i] = "f" + i;
            bigHash[3 + 2 * i] = "v" + i;
            bigZset[2 + 2 * i] = Double.toString(i * 1.5);
            bigZset[3 + 2 * i] = "m" + i;
        }
        c.call(bigList);
        c.call(bigHash);
        c.call(bigZset);
        c.call(bigSet);
    }

    /** The key's type and contents, in an order that does not depend on the server. */
    private static String contents(RawClient c, String key) throws IOException {
        String type = c.call("TYPE", key);
        String body = switch (type) {
            case "+string\r\n" -> c.call("GET", key);
            case "+list\r\n" -> c.call("LRANGE", key, "0", "-1");
            case "+set\r\n" -> c.call("SORT", key, "ALPHA");
            case "+hash\r\n" -> sortedLines(c.call("HGETALL", key));
            case "+zset\r\n" -> c.call("ZRANGE", key, "0", "-1", "WITHSCORES");
            default -> "";
        };
        return type + body + c.call("TTL", key);
    }

    private static String sortedLines(String reply) {
        List<String> pairs = new ArrayList<>();
        String[] lines = reply.split("\r\n");
        for (int i = 1; i + 3 < lines.length + 1; i += 4) {
            pairs.add(lines[i] + " " + lines[i + 1] + " " + lines[i + 2] + " " + lines[i + 3]);
        }
        pairs.sort(null);
        return String.join("\n", pairs);
    }

    private static byte[] bulk(String reply) {
        int start = reply.indexOf("\r\n") + 2;
        return reply.substring(start, reply.length() - 2).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String call(RawClient c, Object... args) throws IOException {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i] instanceof byte[] bytes ? bytes : ((String) args[i]).getBytes(StandardCharsets.UTF_8);
        }
        c.send(RawClient.encode(b));
        return c.reply();
    }
}
