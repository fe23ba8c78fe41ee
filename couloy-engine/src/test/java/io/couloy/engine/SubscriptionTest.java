package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static io.couloy.engine.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubscriptionTest {
    @TempDir
    Path dir;

    @Test
    void subscriber_receivesChangesUnderItsPrefix_inCommitOrder() throws InterruptedException {
        TestClock clock = new TestClock();
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).clock(clock).mergeInterval(Duration.ZERO).build())) {
            List<String> events = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            try (Subscription sub = db.subscribe(b("user:"), e -> {
                events.add(e.kind() + " " + s(e.key()));
                if (s(e.key()).equals("user:end")) {
                    done.countDown();
                }
            })) {
                db.put(b("user:1"), b("a"));
                db.put(b("other"), b("ignored"));
                db.expire(b("user:1"), Duration.ofSeconds(1));
                db.write(new WriteBatch().put(b("user:2"), b("b")).delete(b("user:1")));
                db.update(txn -> txn.put(b("user:3"), b("c")));
                db.put(b("user:t"), b("x"), Duration.ofSeconds(1));
                clock.advance(Duration.ofSeconds(2));
                db.delete(b("user:t")); // already expired: reported as expired, returns false
                db.put(b("user:end"), b("x"));
                assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(sub.dropped()).isZero();
            }
            assertThat(events).containsExactly("SET user:1", "EXPIRE user:1", "SET user:2", "DELETED user:1",
                    "SET user:3", "SET user:t", "EXPIRED user:t", "SET user:end");
        }
    }

    @Test
    void slowSubscriber_dropsAndCounts_withoutBlockingWriters() throws InterruptedException {
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).mergeInterval(Duration.ZERO).build())) {
            CountDownLatch release = new CountDownLatch(1);
            try (Subscription sub = db.subscribe(new byte[0], e -> {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            })) {
                for (int i = 0; i < 70_000; i++) {
                    db.put(b("k" + (i % 10)), b("v"));
                }
                assertThat(sub.dropped()).isPositive();
                release.countDown();
            }
        }
    }
}
