package io.couloy.server.command;

import java.util.List;

/**
 * The script or function running now: who runs it, since when, whether it has written. Read by
 * other connections' threads: once it has written, SCRIPT KILL may no longer stop it (Redis's
 * UNKILLABLE), and once killed it may no longer write — the two decide under this object's
 * lock, so a write and a kill never both win.
 */
public final class RunningScript {
    private final long client;
    private final long startNanos = System.nanoTime();
    private final boolean function;
    private final List<byte[]> command;
    private boolean wrote;
    private boolean killed;
    private volatile boolean abandoned;

    RunningScript(long client, boolean function, List<byte[]> command) {
        this.client = client;
        this.function = function;
        this.command = command;
    }

    /** The EVAL / FCALL command line (FUNCTION STATS shows it). */
    public List<byte[]> command() {
        return command;
    }

    public long client() {
        return client;
    }

    public boolean function() {
        return function;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Before the script runs a write command: false if it was killed meanwhile (the write must not run). */
    public synchronized boolean beginWrite() {
        if (killed) {
            return false;
        }
        wrote = true;
        return true;
    }

    /**
     * SCRIPT KILL's ({@code function} false) or FUNCTION KILL's decision: false if the script has
     * written (it must run to its end). Killing the other kind changes nothing (Redis answers
     * BUSY), but is checked after the write, as Redis checks it.
     */
    public synchronized boolean kill(boolean function) {
        if (wrote) {
            return false;
        }
        killed |= function == this.function;
        return true;
    }

    /** The server is stopping: the script is killed even if it wrote, and its writes are not kept. */
    void abandon() {
        abandoned = true;
        synchronized (this) {
            killed = true;
        }
    }

    /** Whether the script's writes must be dropped rather than committed. */
    public boolean abandoned() {
        return abandoned;
    }
}
