/**
 * Opening a database: rebuild the key directory from hints, else from data files; cut a torn
 * tail; report damage with file and offset. Runs single-threaded before the database is
 * published to callers.
 */
package io.couloy.engine.recovery;
