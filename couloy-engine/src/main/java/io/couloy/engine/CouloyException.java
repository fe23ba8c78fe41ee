package io.couloy.engine;

/**
 * Base of every error the engine raises. Unchecked, because a storage error is rarely something
 * the immediate caller can recover from; callers that can (a server replying with an error) catch
 * this one type.
 */
public class CouloyException extends RuntimeException {
    public CouloyException(String message) {
        super(message);
    }

    public CouloyException(String message, Throwable cause) {
        super(message, cause);
    }
}
