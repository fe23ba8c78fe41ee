package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.net.CouloyServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/**
 * Every command atomic, MULTI blocks never interleaved, with many clients at once — spread over
 * four event loops, so commands really run at the same time (the default is one loop).
 */
class AtomicityTest {
    @TempDir
    Path dir;

    private CouloyServer start() throws InterruptedException {
        return ServerFixture.start(dir, c -> c.with("io-threads", "4"));
    }

    @Test
    void fiftyClientsIncrementingTenKeys_endWithExactTotals() throws Exception {
        try (CouloyServer server = start()) {
            List<Thread> threads = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int t = 0; t < 50; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                        for (int i = 0; i < 200; i++) {
                            j.incr("counter:" + (i % 10));
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failure.get()).isNull();
            try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                for (int k = 0; k < 10; k++) {
                    assertThat(j.get("counter:" + k)).isEqualTo("1000");
                }
            }
        }
    }

    @Test
    void multiBlocksAreNeverInterleaved() throws Exception {
        try (CouloyServer server = start()) {
            List<Thread> threads = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int t = 0; t < 20; t++) {
                String me = "client" + t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                        for (int i = 0; i < 100; i++) {
                            Transaction tx = j.multi();
                            tx.set("shared", me);
                            tx.incr("ops");
                            tx.get("shared");
                            List<Object> r = tx.exec();
                            if (!me.equals(r.get(2))) {
                                throw new AssertionError("another client's write landed inside my MULTI: " + r);
                            }
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failure.get()).isNull();
            try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                assertThat(j.get("ops")).isEqualTo("2000");
            }
        }
    }
}
