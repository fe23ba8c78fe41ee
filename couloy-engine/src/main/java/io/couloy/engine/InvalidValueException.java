package io.couloy.engine;

/**
 * A value an operation must interpret (as an integer, a float, a bitmap offset) is not one, or
 * the result would be out of range. Nothing was changed. The message is Redis's error text
 * without the {@code ERR } prefix, e.g. "hash value is not an integer".
 */
public final class InvalidValueException extends CouloyException {
    public InvalidValueException(String message) {
        super(message);
    }
}
