package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.net.CouloyServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripts run on their connection's event loop: replies come in command order when scripts,
 * ordinary commands, errors and MULTI are pipelined together, and a busy script still lets every
 * connection get BUSY and send SCRIPT KILL — those on its own loop, which the script serves from
 * its instruction hook, and those on other loops.
 */
class ScriptPipelineTest {
    @TempDir
    Path dir;

    @Test
    void pipelinedScriptsAndCommands_replyInOrder() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); RawClient c = new RawClient(server.port())) {
            String[][] commands = {
                {"EVAL", "return redis.call('INCR', KEYS[1])", "1", "n"},
                {"EVAL", "return 1"}, // arity: answered at once, yet after the scripts before it
                {"EVAL", "return redis.call('INCR', KEYS[1])", "1", "n"},
                {"GET", "n"},
                {"EVAL", "return redis.call('INCR', KEYS[1])", "1", "n"},
                {"EVAL", "return redis.call('GET', KEYS[1])", "1", "n"},
                {"SET", "n", "100"},
                {"EVAL", "return redis.call('INCR', KEYS[1])", "1", "n"},
                {"MULTI"},
                {"EVAL", "return redis.call('INCR', KEYS[1])", "1", "n"},
                {"INCR", "n"},
                {"EXEC"},
                {"CLIENT", "REPLY", "SKIP"},
                {"EVAL", "return 'skipped'", "0"},
                {"EVALSHA", "0000000000000000000000000000000000000000", "0"},
                {"PING"},
            };
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            for (String[] cmd : commands) {
                byte[][] b = new byte[cmd.length][];
                for (int i = 0; i < cmd.length; i++) {
                    b[i] = cmd[i].getBytes(StandardCharsets.UTF_8);
                }
                pipeline.writeBytes(RawClient.encode(b));
            }
            c.send(pipeline.toByteArray());
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < commands.length - 2; i++) { // CLIENT REPLY SKIP and the EVAL it skips answer nothing
                replies.add(c.reply());
            }
            assertThat(replies).containsExactly(":1\r\n", "-ERR wrong number of arguments for 'eval' command\r\n", ":2\r\n",
                    "$1\r\n2\r\n", ":3\r\n", "$1\r\n3\r\n", "+OK\r\n", ":101\r\n",
                    "+OK\r\n", "+QUEUED\r\n", "+QUEUED\r\n", "*2\r\n:102\r\n:103\r\n",
                    "-NOSCRIPT No matching script. Please use EVAL.\r\n", "+PONG\r\n");
        }
    }

    @Test
    void manyPipelinesAtOnce_keepTheirOrder() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir)) {
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                String key = "counter" + k;
                clients.add(CompletableFuture.runAsync(() -> {
                    try (RawClient c = new RawClient(server.port())) {
                        ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
                        for (int i = 0; i < 500; i++) {
                            pipeline.writeBytes(i % 3 == 2 ? RawClient.encode("INCR".getBytes(), key.getBytes())
                                    : RawClient.encode("EVAL".getBytes(), "return redis.call('INCR', KEYS[1])".getBytes(),
                                            "1".getBytes(), key.getBytes()));
                        }
                        c.send(pipeline.toByteArray());
                        for (int i = 1; i <= 500; i++) {
                            assertThat(c.reply()).isEqualTo(":" + i + "\r\n");
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * One loop, four loops, each transport (a busy script reads the other connections through it),
     * and appendfsync always, where commands run on a pool of threads beside the loop.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.CsvSource({"io-threads, 1", "io-threads, 4", "io-transport, nio", "io-transport, epoll",
        "appendfsync, always"})
    void busyScript_leavesEveryConnectionAnswering(String setting, String value) throws Exception {
        try (CouloyServer server = ServerFixture.start(dir, c -> c.with(setting, value));
                RawClient runner = new RawClient(server.port(), 30_000)) {
            List<RawClient> others = new ArrayList<>();
            try {
                for (int i = 0; i < 4 * Runtime.getRuntime().availableProcessors() + 1; i++) { // every loop, twice over
                    others.add(new RawClient(server.port()));
                }
                others.getFirst().call("CONFIG", "SET", "busy-reply-threshold", "100");
                CompletableFuture<String> spin = CompletableFuture.supplyAsync(() -> {
                    try {
                        return runner.call("EVAL", "while true do end", "0");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                long until = System.nanoTime() + 10_000_000_000L; // until the script has passed the threshold
                while (!others.getFirst().call("GET", "x").startsWith("-BUSY") && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                for (RawClient o : others) {
                    assertThat(o.call("GET", "x")).startsWith("-BUSY");
                }
                try (RawClient late = new RawClient(server.port())) { // accepted while the script runs
                    assertThat(late.call("GET", "x")).startsWith("-BUSY");
                }
                assertThat(others.getLast().call("SCRIPT", "KILL")).isEqualTo("+OK\r\n");
                assertThat(spin.get(10, TimeUnit.SECONDS)).startsWith("-ERR Script killed by user");
                for (RawClient o : others) {
                    assertThat(o.call("PING")).isEqualTo("+PONG\r\n");
                }
            } finally {
                for (RawClient o : others) {
                    o.close();
                }
            }
        }
    }
}
