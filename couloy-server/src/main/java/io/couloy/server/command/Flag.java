package io.couloy.server.command;

/** Command flags, as in Redis's command table; the dispatcher enforces them, handlers do not. */
public enum Flag {
    WRITE, READONLY, DENYOOM, FAST, NOSCRIPT, LOADING, STALE, ADMIN,
    /** Runs without authentication (AUTH, HELLO, QUIT, RESET). */
    NO_AUTH,
    /** Runs at once inside MULTI instead of being queued (EXEC, DISCARD, MULTI, WATCH, QUIT, RESET). */
    NOT_QUEUED,
    /** Needs every other command stopped while it runs (EXEC, FLUSHALL, SWAPDB). */
    EXCLUSIVE,
    /** Never enters SLOWLOG (EXEC: the commands it ran are logged one by one). */
    SKIP_SLOWLOG,
    /** Not shown to MONITOR by the dispatcher (EXEC shows itself, after the commands it ran). */
    SKIP_MONITOR
}
