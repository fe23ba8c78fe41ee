/**
 * The log: data files ({@link io.couloy.engine.log.DataFile}), sequential scans of them, hint
 * writers, the directory's lock and format marker, and group commit. A data file has one
 * appending thread (the engine holds its write lock) and any number of concurrent readers.
 */
package io.couloy.engine.log;
