/**
 * Conflict detection for optimistic transactions and WATCH: a registry of watched keys that
 * every committed write touches. Thread-safe; see {@link io.couloy.engine.txn.ConflictTracker}
 * for the ordering that makes it exact.
 */
package io.couloy.engine.txn;
