package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.net.CouloyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FUNCTION and FCALL compared with a real Redis, and functions surviving a restart. */
class FunctionsTest {
    @TempDir
    Path dir;

    static final String LIB = "#!lua name=mylib\n"
            + "redis.register_function('myfunc', function(keys, args) return redis.call('SET', keys[1], args[1]) end)\n"
            + "redis.register_function{function_name='ro', callback=function(keys, args) return redis.call('GET', keys[1]) end,\n"
            + "  flags={'no-writes'}, description='reads a key'}\n"
            + "redis.register_function('sneaky', function(keys, args) return redis.call('DEL', 'k') end)\n";

    static final String ONE = "#!lua name=one\nredis.register_function{function_name='only', callback=function() return 7 end,"
            + " flags={'no-writes', 'allow-stale'}}";

    private static final String[][] SCRIPT = {
        {"FUNCTION", "LOAD", LIB}, {"FUNCTION", "LOAD", LIB}, {"FUNCTION", "LOAD", "no shebang"},
        {"FUNCTION", "LOAD", "#!lua\nreturn 1"}, {"FUNCTION", "LOAD", "#!lua name=x y=z\n"}, {"FUNCTION", "LOAD", "#!lua name=x"},
        {"FUNCTION", "LOAD", "#!lua name=b-ad\nx"}, {"FUNCTION", "LOAD", "#!js name=j\nx"},
        {"FUNCTION", "LOAD", "#!lua name=empty\nlocal x = 1"},
        {"FUNCTION", "LOAD", "#!lua name=dup\nredis.register_function('myfunc', function() return 1 end)"},
        {"FUNCTION", "LOAD", "BOGUS", LIB}, {"FUNCTION", "LOAD"},
        {"FCALL", "myfunc", "1", "k", "v"}, {"FCALL", "ro", "1", "k"}, {"FCALL_RO", "myfunc", "1", "k", "v"},
        {"FCALL_RO", "ro", "1", "k"}, {"FCALL", "nope", "0"}, {"FCALL", "myfunc", "x"}, {"FCALL", "myfunc", "5", "a"},
        {"FCALL", "myfunc", "-1"}, {"FCALL", "ro", "0"},
        // Redis lists a library's functions in its dict's (seeded hash) order; one-function libraries compare exactly.
        {"FUNCTION", "LOAD", ONE}, {"FUNCTION", "LIST", "LIBRARYNAME", "one"}, {"FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "on*"},
        {"FUNCTION", "LIST", "LIBRARYNAME", "zz"}, {"FCALL", "only", "0"}, {"EVAL", "local x = 1\nreturn redis.call('GET')", "0"}, {"FUNCTION", "LIST", "BOGUS"}, {"FUNCTION", "STATS"}, {"FUNCTION", "KILL"},
        {"SCRIPT", "KILL"}, {"FUNCTION", "LOAD", "REPLACE", LIB.replace("'v'", "'w'")},
        {"FUNCTION", "DELETE", "nope"}, {"FUNCTION", "DELETE", "mylib"}, {"FCALL", "myfunc", "0"},
        {"FUNCTION", "FLUSH", "bad"}, {"FUNCTION", "DELETE", "one"}, {"FUNCTION", "FLUSH"}, {"FUNCTION", "LIST"}, {"FUNCTION", "FOO"},
        {"SCRIPT", "FLUSH", "bad"}, {"SCRIPT", "FLUSH", "ASYNC"},
    };

    @Test
    void repliesMatchRealRedis() throws Exception {
        Assumptions.assumeTrue(RedisProcess.available(), "redis-server is not installed");
        try (RedisProcess redis = new RedisProcess(); CouloyServer ours = ServerFixture.start(dir);
                RawClient theirs = new RawClient(redis.port()); RawClient us = new RawClient(ours.port())) {
            assertThat(RedisCompatibilityTest.mismatches(theirs, us, SCRIPT)).as("commands whose replies differ").isEmpty();
        }
    }

    @Test
    void librariesSurviveARestart_andScriptsAreSharedByAllDatabases() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); RawClient c = new RawClient(server.port())) {
            assertThat(c.call("FUNCTION", "LOAD", LIB)).isEqualTo("$5\r\nmylib\r\n");
            String sha = c.call("SCRIPT", "LOAD", "return 'shared'");
            c.call("SELECT", "3");
            assertThat(c.call("EVALSHA", sha.split("\r\n")[1], "0")).isEqualTo("$6\r\nshared\r\n");
        }
        try (CouloyServer server = ServerFixture.start(dir); RawClient c = new RawClient(server.port())) {
            assertThat(c.call("FCALL", "myfunc", "1", "k", "after-restart")).isEqualTo("+OK\r\n");
            assertThat(c.call("FCALL_RO", "ro", "1", "k")).isEqualTo("$13\r\nafter-restart\r\n");
            assertThat(c.call("FUNCTION", "DELETE", "mylib")).isEqualTo("+OK\r\n");
        }
        try (CouloyServer server = ServerFixture.start(dir); RawClient c = new RawClient(server.port())) {
            assertThat(c.call("FCALL", "myfunc", "0")).isEqualTo("-ERR Function not found\r\n");
        }
    }

    @Test
    void functionDumpRestoresInEitherDirection() throws Exception {
        Assumptions.assumeTrue(RedisProcess.available(), "redis-server is not installed");
        try (RedisProcess redis = new RedisProcess(); CouloyServer ours = ServerFixture.start(dir);
                RawClient theirs = new RawClient(redis.port()); RawClient us = new RawClient(ours.port())) {
            theirs.call("FUNCTION", "LOAD", LIB);
            byte[] fromRedis = bulk(theirs.call("FUNCTION", "DUMP"));
            assertThat(call(us, "FUNCTION", "RESTORE", fromRedis)).isEqualTo("+OK\r\n");
            assertThat(show(call(us, "FUNCTION", "RESTORE", fromRedis))).as("APPEND refuses an existing library")
                    .isEqualTo(show(call(theirs, "FUNCTION", "RESTORE", fromRedis)));
            assertThat(us.call("FCALL", "myfunc", "1", "k", "v")).isEqualTo("+OK\r\n");
            byte[] fromUs = bulk(us.call("FUNCTION", "DUMP"));
            assertThat(call(theirs, "FUNCTION", "RESTORE", fromUs, "REPLACE")).isEqualTo("+OK\r\n");
            assertThat(theirs.call("FCALL", "ro", "1", "k")).isEqualTo("$-1\r\n");
            byte[] bad = fromUs.clone();
            bad[bad.length - 1] ^= 1;
            assertThat(show(call(us, "FUNCTION", "RESTORE", bad))).isEqualTo(show(call(theirs, "FUNCTION", "RESTORE", bad)));
            assertThat(show(call(us, "FUNCTION", "RESTORE", fromUs, "SIDEWAYS")))
                    .isEqualTo(show(call(theirs, "FUNCTION", "RESTORE", fromUs, "SIDEWAYS")));
        }
    }

    private static String show(String s) {
        return s.replace("\r\n", "\\r\\n").replace("\n", "\\n");
    }

    private static byte[] bulk(String reply) {
        int start = reply.indexOf("\r\n") + 2;
        return reply.substring(start, reply.length() - 2).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String call(RawClient c, Object... args) throws java.io.IOException {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i] instanceof byte[] bytes ? bytes : ((String) args[i]).getBytes(StandardCharsets.UTF_8);
        }
        c.send(RawClient.encode(b));
        return c.reply();
    }
}
