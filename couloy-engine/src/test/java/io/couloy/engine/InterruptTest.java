package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread interrupted in the middle of file I/O closes a FileChannel for every thread. The
 * database must shrug that off: the interrupted call completes, the flag stays set for its
 * caller, and everyone else goes on.
 */
class InterruptTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void interruptedReadersAndWriters_doNotBreakTheDatabase(SyncPolicy policy) throws InterruptedException {
        Options o = Options.builder(dir).mmapReads(false).syncPolicy(policy).dataFileSize(64 * 1024)
                .mergeInterval(Duration.ZERO).build();
        try (CouloyDB db = CouloyDB.open(o)) {
            for (int i = 0; i < 200; i++) {
                db.put(b("k" + i), b("value" + i));
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread victim = Thread.ofPlatform().start(() -> {
                try {
                    int i = 0;
                    while (!stop.get()) {
                        db.put(b("k" + (i % 200)), b("value" + (i % 200)));
                        assertThat(db.get(b("k" + (i % 200)))).isEqualTo(b("value" + (i % 200)));
                        Thread.interrupted(); // clear, so the next interrupt lands inside I/O again
                        i++;
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            for (int n = 0; n < 2000 && victim.isAlive(); n++) {
                victim.interrupt();
                Thread.onSpinWait();
            }
            stop.set(true);
            victim.join();
            assertThat(failure.get()).isNull();
            for (int i = 0; i < 200; i++) {
                assertThat(db.get(b("k" + i))).isEqualTo(b("value" + i));
            }
            db.put(b("after"), b("ok"));
            db.sync();
        }
        try (CouloyDB db = CouloyDB.open(o)) {
            assertThat(db.get(b("after"))).isEqualTo(b("ok"));
            assertThat(db.get(b("k199"))).isEqualTo(b("value199"));
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void interruptedCaller_keepsItsInterruptStatus(SyncPolicy policy) {
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).mmapReads(false).syncPolicy(policy).build())) {
            db.put(b("k"), b("v"));
            Thread.currentThread().interrupt();
            try {
                db.put(b("k2"), b("v2"));
                assertThat(db.get(b("k"))).isEqualTo(b("v"));
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
        }
    }
}
