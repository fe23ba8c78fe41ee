package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Runs the server as a child JVM, writes from several clients (half of them pipelining 16
 * commands at a time), kills the server with SIGKILL mid-stream, restarts it and checks that
 * every acknowledged SET and INCR is there (the seed of the kill times is printed). Under
 * appendfsync always each write is fsynced before its reply; under everysec a batch's records
 * wait in memory and are written before its replies leave — either way a process crash loses
 * nothing acknowledged.
 */
class ServerCrashTest {
    @TempDir
    Path dir;

    private Process startServer(int port, String appendfsync) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.couloy.server.Main", "--port", Integer.toString(port),
                "--dir", dir.toString(), "--appendfsync", appendfsync, "--data-file-size", "1mb")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 400; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new AssertionError("server exited with " + p.exitValue());
                }
                Thread.sleep(25);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("server did not start");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"always", "everysec"})
    void sigkill_losesNoAcknowledgedWrite(String appendfsync) throws Exception {
        long seed = System.nanoTime();
        System.out.println("ServerCrashTest seed=" + seed);
        java.util.Random random = new java.util.Random(seed);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> acked = new ConcurrentHashMap<>();
        AtomicLong ackedIncrs = new AtomicLong();
        for (int round = 0; round < 3; round++) {
            Process server = startServer(port, appendfsync);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            int r = round;
            for (int t = 0; t < 8; t++) {
                int id = t;
                writers.add(Thread.ofPlatform().start(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", port)) {
                        for (int n = 0; !stop.get(); n++) {
                            if (id % 2 == 0) {
                                String key = "r" + r + ":t" + id + ":" + n;
                                j.set(key, "v" + n);
                                acked.put(key, "v" + n);
                                j.incr("counter");
                                ackedIncrs.incrementAndGet();
                            } else {
                                redis.clients.jedis.Pipeline p = j.pipelined();
                                Map<String, String> batch = new java.util.HashMap<>();
                                for (int k = 0; k < 8; k++) {
                                    String key = "r" + r + ":t" + id + ":" + n + ":" + k;
                                    p.set(key, "v" + k);
                                    p.incr("counter");
                                    batch.put(key, "v" + k);
                                }
                                p.sync(); // every reply of the batch has arrived
                                acked.putAll(batch);
                                ackedIncrs.addAndGet(8);
                            }
                        }
                    } catch (RuntimeException connectionLost) {
                        // the kill: whatever was not acknowledged may or may not be there
                    }
                }));
            }
            Thread.sleep(300 + random.nextInt(700));
            server.toHandle().destroyForcibly(); // SIGKILL
            assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
            stop.set(true);
            for (Thread w : writers) {
                w.join();
            }
        }
        Process server = startServer(port, appendfsync);
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertThat(acked).isNotEmpty();
            for (Map.Entry<String, String> e : acked.entrySet()) {
                assertThat(j.get(e.getKey())).as("acknowledged SET %s (seed %d)", e.getKey(), seed).isEqualTo(e.getValue());
            }
            assertThat(Long.parseLong(j.get("counter"))).as("acknowledged INCRs").isGreaterThanOrEqualTo(ackedIncrs.get());
            j.shutdown();
        } catch (redis.clients.jedis.exceptions.JedisConnectionException closedOnShutdown) {
            // SHUTDOWN closes the connection
        }
        assertThat(server.waitFor(20, TimeUnit.SECONDS)).as("SHUTDOWN stops the server").isTrue();
    }
}
