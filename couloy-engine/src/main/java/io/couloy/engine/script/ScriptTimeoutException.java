package io.couloy.engine.script;

/** A script ran past its time limit and was stopped; the writes it made before stay. */
public final class ScriptTimeoutException extends RuntimeException {
    public ScriptTimeoutException(long limitMillis) {
        super("script ran over its time limit of " + limitMillis + " ms and was stopped");
    }
}
