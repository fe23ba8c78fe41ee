package io.couloy.engine;

/** A SERIALIZABLE transaction kept conflicting with concurrent writes and ran out of retries. Nothing was written. */
public final class TransactionConflictException extends CouloyException {
    public TransactionConflictException(int attempts) {
        super("transaction conflicted with concurrent writes " + attempts + " times; nothing was written");
    }
}
