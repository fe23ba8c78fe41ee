package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.net.CouloyServer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long script: past busy-reply-threshold other clients get BUSY; SCRIPT KILL (FUNCTION KILL
 * for a function) stops it unless it has written, which makes it UNKILLABLE; afterwards the
 * server serves everyone again.
 */
class BusyScriptTest {
    @TempDir
    Path dir;

    @Test
    void busyReplies_scriptKill_andUnkillableAfterAWrite() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); RawClient runner = new RawClient(server.port(), 30_000);
                RawClient other = new RawClient(server.port())) {
            assertThat(other.call("CONFIG", "SET", "busy-reply-threshold", "100")).isEqualTo("+OK\r\n");
            assertThat(other.call("SCRIPT", "KILL")).isEqualTo("-NOTBUSY No scripts in execution right now.\r\n");

            CompletableFuture<String> spin = CompletableFuture.supplyAsync(() -> call(runner, "EVAL",
                    "local i = 0 while true do i = i + 1 end", "0"));
            assertThat(awaitBusy(other)).isEqualTo("-BUSY Redis is busy running a script. You can only call SCRIPT KILL or "
                    + "SHUTDOWN NOSAVE.\r\n");
            assertThat(other.call("FUNCTION", "KILL")).as("not a function").isEqualTo("-BUSY Redis is busy running a script. "
                    + "You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n");
            assertThat(other.call("FUNCTION", "STATS")).as("as Redis, during an EVAL").startsWith("-BUSY");
            // As Redis, WATCH gets through: served by the script's own loop, which holds the lock.
            assertThat(other.call("WATCH", "k")).isEqualTo("+OK\r\n");
            assertThat(other.call("SCRIPT", "KILL")).isEqualTo("+OK\r\n");
            assertThat(spin.get(10, TimeUnit.SECONDS)).matches("-ERR Script killed by user with SCRIPT KILL\\.\\.\\. script: "
                    + "[0-9a-f]{40}, on @user_script:1\\.\r\n");
            assertThat(other.call("GET", "x")).isEqualTo("$-1\r\n");
            other.call("MULTI");
            other.call("SET", "k", "v");
            assertThat(other.call("EXEC")).as("k unchanged since WATCH").isEqualTo("*1\r\n+OK\r\n");

            CompletableFuture<String> writer = CompletableFuture.supplyAsync(() -> call(runner, "EVAL",
                    "redis.call('SET', 'w', '1') local t = os.clock() while os.clock() - t < 1 do end return 7", "0"));
            awaitBusy(other);
            assertThat(other.call("SCRIPT", "KILL")).startsWith("-UNKILLABLE Sorry the script already executed write commands");
            assertThat(writer.get(10, TimeUnit.SECONDS)).isEqualTo(":7\r\n");
            assertThat(other.call("GET", "w")).isEqualTo("$1\r\n1\r\n");
        }
    }

    @Test
    void busyFunction_functionKill() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); RawClient runner = new RawClient(server.port(), 30_000);
                RawClient other = new RawClient(server.port())) {
            other.call("CONFIG", "SET", "busy-reply-threshold", "100");
            other.call("FUNCTION", "LOAD", "#!lua name=spinlib\nredis.register_function('spin', function()\nwhile true do end end)");
            CompletableFuture<String> spin = CompletableFuture.supplyAsync(() -> call(runner, "FCALL", "spin", "0"));
            assertThat(awaitBusy(other)).isEqualTo("-BUSY Redis is busy running a script. You can only call FUNCTION KILL or "
                    + "SHUTDOWN NOSAVE.\r\n");
            assertThat(other.call("FUNCTION", "STATS")).contains("spin").contains("duration_ms");
            assertThat(other.call("SCRIPT", "KILL")).isEqualTo("-BUSY Redis is busy running a script. You can only call FUNCTION "
                    + "KILL or SHUTDOWN NOSAVE.\r\n");
            assertThat(other.call("FUNCTION", "KILL")).isEqualTo("+OK\r\n");
            assertThat(spin.get(10, TimeUnit.SECONDS)).as("Redis's words, SCRIPT KILL included")
                    .isEqualTo("-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:3.\r\n");
            assertThat(other.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void busyInsideMulti_abortsTheTransaction() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); RawClient runner = new RawClient(server.port(), 30_000);
                RawClient other = new RawClient(server.port())) {
            other.call("CONFIG", "SET", "busy-reply-threshold", "100");
            CompletableFuture<String> spin = CompletableFuture.supplyAsync(() -> call(runner, "EVAL",
                    "local i = 0 while true do i = i + 1 end", "0"));
            awaitBusy(other);
            assertThat(other.call("MULTI")).isEqualTo("+OK\r\n");
            assertThat(other.call("SET", "k", "v")).startsWith("-BUSY");
            assertThat(other.call("SCRIPT", "KILL")).as("queued, as in Redis").isEqualTo("+QUEUED\r\n");
            try (RawClient killer = new RawClient(server.port())) {
                assertThat(killer.call("SCRIPT", "KILL")).isEqualTo("+OK\r\n");
            }
            spin.get(10, TimeUnit.SECONDS);
            assertThat(other.call("EXEC")).isEqualTo("-EXECABORT Transaction discarded because of previous errors.\r\n");
            assertThat(other.call("EXISTS", "k")).isEqualTo(":0\r\n");
        }
    }

    /**
     * SHUTDOWN alone is refused while a script is busy; SHUTDOWN NOSAVE stops the server and the
     * script, and none of what the script wrote is there after a restart (Redis never wrote it to
     * its AOF), while what was acknowledged before it is.
     */
    @Test
    void shutdownNosave_stopsABusyScript_andKeepsNoneOfItsWrites() throws Exception {
        CouloyServer server = ServerFixture.start(dir);
        try (RawClient runner = new RawClient(server.port(), 30_000); RawClient other = new RawClient(server.port())) {
            other.call("CONFIG", "SET", "busy-reply-threshold", "100");
            assertThat(other.call("SET", "before", "1")).isEqualTo("+OK\r\n");
            CompletableFuture.runAsync(() -> {
                try {
                    runner.call("EVAL", "redis.call('SET', 'during', '1') redis.call('SET', 'before', '2') while true do end", "0");
                } catch (java.io.IOException expected) {
                    // the server closes this connection as it stops
                }
            });
            awaitBusy(other);
            assertThat(other.call("SHUTDOWN")).isEqualTo("-BUSY Redis is busy running a script. You can only call SCRIPT "
                    + "KILL or SHUTDOWN NOSAVE.\r\n");
            assertThat(other.call("SCRIPT", "KILL")).startsWith("-UNKILLABLE");
            other.send(RawClient.encode("SHUTDOWN".getBytes(), "NOSAVE".getBytes()));
            CompletableFuture.runAsync(() -> {
                try {
                    server.awaitTermination();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).get(20, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
        try (CouloyServer again = ServerFixture.start(dir); RawClient c = new RawClient(again.port())) {
            assertThat(c.call("GET", "before")).isEqualTo("$1\r\n1\r\n");
            assertThat(c.call("EXISTS", "during")).isEqualTo(":0\r\n");
            assertThat(c.call("SET", "after", "1")).isEqualTo("+OK\r\n");
        }
    }

    /** PINGs until the server answers BUSY (the script has passed the threshold); returns that reply. */
    private static String awaitBusy(RawClient c) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            String r = c.call("PING");
            if (r.startsWith("-BUSY")) {
                return r;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never BUSY");
    }

    private static String call(RawClient c, String... args) {
        try {
            return c.call(args);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
