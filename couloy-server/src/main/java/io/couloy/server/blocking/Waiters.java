package io.couloy.server.blocking;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.KeyEvent;
import io.couloy.server.command.ServerContext;
import io.couloy.server.pubsub.Name;
import io.couloy.server.resp.Reply;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Clients blocked on keys (BLPOP, BZPOPMIN, ...). A blocked client is queued on each of its keys
 * in arrival order; every committed change to a key (the engine's change feed, whatever wrote it:
 * a command, EXEC or a script) offers the key to its waiters, first come first served, each
 * retrying its pop; the first to get something is answered and leaves every queue; every 100 ms
 * the waited-on keys are offered again, in case the feed dropped an event. A timeout answers with
 * the command's empty reply.
 */
public final class Waiters implements AutoCloseable {
    private final ServerContext server;
    private final Map<Integer, Map<Name, ArrayDeque<Waiter>>> byDb = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "couloy-block-timeouts");
        t.setDaemon(true);
        return t;
    });

    public Waiters(ServerContext server) {
        this.server = server;
        // The change feed drops events for a listener that falls far behind (a write storm);
        // re-offering every waited-on key now and then makes a lost wake-up cost 100 ms, not a hang.
        timer.scheduleWithFixedDelay(this::recheckAll, 100, 100, TimeUnit.MILLISECONDS);
    }

    private void recheckAll() {
        List<Map.Entry<Integer, byte[]>> waited = new ArrayList<>();
        synchronized (this) {
            byDb.forEach((db, keys) -> keys.keySet().forEach(n -> waited.add(Map.entry(db, n.bytes()))));
        }
        for (Map.Entry<Integer, byte[]> e : waited) {
            try {
                signal(e.getKey(), e.getValue());
            } catch (RuntimeException ignored) {
                // a database closing under us: the next round or the close settles it
            }
        }
    }

    /** One blocked command: {@code attempt} tries the pop and returns a reply, or null if still nothing. */
    private static final class Waiter {
        final long client;
        final int db;
        final List<Name> keys;
        final Supplier<Reply> attempt;
        final Reply onTimeout;
        final java.util.function.Consumer<Reply> answer;
        final AtomicBoolean done = new AtomicBoolean();
        ScheduledFuture<?> timeout;

        Waiter(long client, int db, List<Name> keys, Supplier<Reply> attempt, Reply onTimeout,
                java.util.function.Consumer<Reply> answer) {
            this.client = client;
            this.db = db;
            this.keys = keys;
            this.attempt = attempt;
            this.onTimeout = onTimeout;
            this.answer = answer;
        }
    }

    /** Databases with a client blocked on one of their keys; read by every writer, so a plain volatile set. */
    private volatile java.util.Set<Integer> waitedOn = java.util.Set.of();

    /**
     * Listens to a database's changes (called as each database opens). Writes queue an event only
     * while some client blocks in that database: otherwise the filter says no at the cost of one
     * volatile read.
     */
    public void watch(int index, CouloyDB db) {
        db.subscribe(new byte[0], (key, kind) -> kind != KeyEvent.Kind.DELETED && kind != KeyEvent.Kind.EXPIRED
                && waitedOn.contains(index), e -> signal(index, e.key()));
    }

    /**
     * Blocks a client: {@code attempt} is retried whenever one of {@code keys} changes, until it
     * returns a reply or {@code timeoutMillis} (0: forever) passes.
     */
    public void block(long client, int db, List<byte[]> keys, Supplier<Reply> attempt, Reply onTimeout,
            long timeoutMillis, java.util.function.Consumer<Reply> answer) {
        List<Name> names = new ArrayList<>();
        keys.forEach(k -> names.add(new Name(k)));
        Waiter w = new Waiter(client, db, names, attempt, onTimeout, answer);
        synchronized (this) {
            for (Name n : names) {
                byDb.computeIfAbsent(db, x -> new HashMap<>()).computeIfAbsent(n, x -> new ArrayDeque<>()).add(w);
            }
            refreshWaitedOn();
        }
        if (timeoutMillis > 0) {
            w.timeout = timer.schedule(() -> finish(w, w.onTimeout), timeoutMillis, TimeUnit.MILLISECONDS);
        }
        // A push between the caller's first try and the registration would otherwise be missed.
        for (Name n : names) {
            signal(db, n.bytes());
        }
    }

    /** Ends a wait with {@code reply} unless a pop answered it first (both decide under the waiter's lock). */
    private void finish(Waiter w, Reply reply) {
        synchronized (w) {
            if (w.done.get()) {
                return;
            }
            w.done.set(true);
        }
        remove(w);
        if (w.timeout != null) {
            w.timeout.cancel(false);
        }
        if (reply != null) {
            w.answer.accept(reply);
        }
    }

    private synchronized void remove(Waiter w) {
        Map<Name, ArrayDeque<Waiter>> keys = byDb.get(w.db);
        if (keys == null) {
            return;
        }
        for (Name n : w.keys) {
            ArrayDeque<Waiter> q = keys.get(n);
            if (q != null) {
                q.remove(w);
                if (q.isEmpty()) {
                    keys.remove(n);
                }
            }
        }
        if (keys.isEmpty()) {
            byDb.remove(w.db);
            refreshWaitedOn();
        }
    }

    /** Called with the lock held whenever the set of databases with waiters may have changed. */
    private void refreshWaitedOn() {
        waitedOn = java.util.Set.copyOf(byDb.keySet());
    }

    /** Offers a changed key to its waiters, oldest first, until one gets nothing more or the queue ends. */
    private void signal(int db, byte[] key) {
        while (true) {
            Waiter first;
            synchronized (this) {
                Map<Name, ArrayDeque<Waiter>> keys = byDb.get(db);
                ArrayDeque<Waiter> q = keys == null ? null : keys.get(new Name(key));
                first = q == null ? null : q.peekFirst();
            }
            if (first == null) {
                return;
            }
            Reply r;
            var lock = server.exclusive().enterShared();
            try {
                synchronized (first) {
                    if (first.done.get()) {
                        remove(first);
                        continue;
                    }
                    r = first.attempt.get();
                    if (r == null) {
                        return; // nothing for the oldest waiter: nothing for the later ones either
                    }
                    first.done.set(true);
                }
            } finally {
                server.exclusive().exitShared(lock);
            }
            remove(first);
            if (first.timeout != null) {
                first.timeout.cancel(false);
            }
            first.answer.accept(r);
        }
    }

    /**
     * CLIENT UNBLOCK: ends the client's wait as if it timed out, or with {@code error}; returns
     * whether it was blocked.
     */
    public boolean unblock(long client, Reply error) {
        List<Waiter> found = new ArrayList<>();
        synchronized (this) {
            for (Map<Name, ArrayDeque<Waiter>> keys : byDb.values()) {
                for (ArrayDeque<Waiter> q : keys.values()) {
                    for (Waiter w : q) {
                        if (w.client == client && !found.contains(w)) {
                            found.add(w);
                        }
                    }
                }
            }
        }
        boolean any = false;
        for (Waiter w : found) {
            boolean wasWaiting = !w.done.get();
            finish(w, error != null ? error : w.onTimeout);
            any |= wasWaiting;
        }
        return any;
    }

    /** Drops a disconnected client's waits, answering nothing. */
    public void cancel(long client) {
        List<Waiter> gone = new ArrayList<>();
        synchronized (this) {
            for (Map<Name, ArrayDeque<Waiter>> keys : byDb.values()) {
                for (ArrayDeque<Waiter> q : keys.values()) {
                    for (Waiter w : q) {
                        if (w.client == client) {
                            gone.add(w);
                        }
                    }
                }
            }
        }
        gone.forEach(w -> finish(w, null));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
