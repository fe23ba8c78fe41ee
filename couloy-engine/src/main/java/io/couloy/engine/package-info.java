/**
 * CouloyDB's embeddable engine: a key-value store on the Bitcask model.
 *
 * <p>The whole public API lives in this package: {@link io.couloy.engine.CouloyDB} (open, read,
 * write, iterate, merge, back up), {@link io.couloy.engine.Options}, {@link io.couloy.engine.WriteBatch},
 * {@link io.couloy.engine.IteratorOptions} and the exceptions, all subclasses of
 * {@link io.couloy.engine.CouloyException}. The subpackages are the implementation.
 *
 * <p>Priorities, in order: no acknowledged write is lost or corrupted; memory per key is small;
 * reads and writes are fast. Threading: every public method is thread-safe. Reads never wait for
 * another reader's I/O; writes are serialised on one log and, under
 * {@link io.couloy.engine.SyncPolicy#ALWAYS}, share fsyncs.
 */
package io.couloy.engine;
