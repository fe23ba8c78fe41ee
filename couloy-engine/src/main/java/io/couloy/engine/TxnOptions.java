package io.couloy.engine;

import java.util.Objects;

/**
 * How {@link CouloyDB#update} and {@link CouloyDB#view} run a transaction.
 *
 * @param isolation see {@link Isolation}; default {@link Isolation#SERIALIZABLE}
 * @param maxRetries how many times a conflicting transaction runs again before
 *     {@link TransactionConflictException}; default 32. 0 means: fail on the first conflict
 */
public record TxnOptions(Isolation isolation, int maxRetries) {
    /** SERIALIZABLE with up to 32 retries. */
    public static final TxnOptions DEFAULT = new TxnOptions(Isolation.SERIALIZABLE, 32);

    public TxnOptions {
        Objects.requireNonNull(isolation, "isolation");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
        }
    }
}
