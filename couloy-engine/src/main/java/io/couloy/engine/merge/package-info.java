/**
 * Merge (compaction): online copying of live records into new files, committed by a manifest
 * and installed idempotently, so a crash at any point leaves the old files or the new ones in
 * force. One merge at a time; it runs alongside readers and writers and stops writers only for
 * the final swap.
 */
package io.couloy.engine.merge;
