/**
 * The in-memory key directory. Entries are packed into large byte arrays
 * ({@code EntryArena}) and indexed by an open-addressing hash table, optionally with a B+tree
 * for ordered scans, so memory is a few bytes per key beyond the key itself and the garbage
 * collector sees a handful of arrays, not millions of objects. Reads are optimistic
 * ({@link java.util.concurrent.locks.StampedLock}); writers are serialised.
 */
package io.couloy.engine.keydir;
