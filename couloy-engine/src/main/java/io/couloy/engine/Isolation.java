package io.couloy.engine;

/** How much a transaction is protected from concurrent writers. Both are optimistic: nothing is locked while the function runs. */
public enum Isolation {
    /**
     * Reads see the latest committed value (and the transaction's own writes); writes apply
     * atomically at commit with no check. Two transactions may read a key, both write it, and one
     * update is lost.
     */
    READ_COMMITTED,
    /**
     * Every key read is watched; the commit applies only if none of them changed since it was
     * read, checked atomically with the write, otherwise the transaction runs again (up to
     * {@link TxnOptions#maxRetries()}). Equivalent to running the transactions one at a time.
     */
    SERIALIZABLE
}
