package io.couloy.server.command;

/** Command flags, as in Redis's command table; the dispatcher enforces them, handlers do not. */
public enum Flag {
    WRITE, READONLY, DENYOOM, FAST, NOSCRIPT, LOADING, STALE, ADMIN,
    /** Runs without authentication (AUTH, HELLO, QUIT, RESET). */
    NO_AUTH,
    /** Runs at once inside MULTI instead of being queued (EXEC, DISCARD, MULTI, WATCH, QUIT, RESET). */
    NOT_QUEUED,
    /** Needs every other command stopped while it runs (EXEC, FLUSHALL, SWAPDB). */
    EXCLUSIVE
}
