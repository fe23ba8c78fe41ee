package io.couloy.engine;

/** When appended records are forced to stable storage (fsync). */
public enum SyncPolicy {
    /**
     * A write returns only after its record is durable. Concurrent writers share fsyncs (group
     * commit), so many threads writing at once cost far less than one fsync each. Survives a
     * machine crash losing nothing acknowledged.
     */
    ALWAYS,
    /**
     * A background thread syncs once a second. A process crash loses nothing (the OS holds the
     * written pages); a machine crash loses at most about the last second.
     */
    EVERY_SECOND,
    /**
     * The OS decides when to write back (plus {@link Options#bytesPerSync()} if set). A process
     * crash loses nothing; a machine crash may lose the last tens of seconds.
     */
    OS
}
