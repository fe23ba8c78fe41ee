package io.couloy.engine.log;

import io.couloy.engine.format.RecordCodec;
import io.couloy.engine.format.RecordCodec.Header;

/**
 * Reads a data file's records front to back, in large sequential reads. Stops at the end of
 * the file or at the first record that is incomplete or fails its checksum, and says which.
 */
public final class RecordScanner {
    /** Why a scan stopped. */
    public enum End {
        /** The file ended exactly after a record. */
        CLEAN,
        /** The file ends inside a record: a write that did not finish. */
        TRUNCATED,
        /** A record cannot be parsed or fails its checksum. */
        CORRUPT
    }

    private static final int CHUNK = 1 << 20;
    /**
     * What a read after {@link #seek} asks for at least: a page, so that a record read for itself
     * does not bring a megabyte with it, and nearby records come in the same read.
     */
    private static final int SEEK_WINDOW = 4096;

    private final DataFile file;
    private final long fileSize;
    private byte[] buf = new byte[CHUNK];
    private long bufStart;
    private int bufLen;
    private long next;
    private int window = CHUNK;

    private long recordOffset;
    private int recordPos;
    private Header header;
    private End end;
    private String endReason;

    public RecordScanner(DataFile file) {
        this.file = file;
        this.fileSize = file.length();
    }

    /** Advances to the next record; false at the end (see {@link #end()}). */
    public boolean next() {
        if (end != null) {
            return false;
        }
        if (next >= fileSize) {
            end = End.CLEAN;
            return false;
        }
        ensure(next, RecordCodec.MAX_HEADER);
        int pos = (int) (next - bufStart);
        Header h = RecordCodec.readHeader(buf, pos, bufLen);
        if (!h.valid()) {
            if (h == Header.TRUNCATED) {
                return stop(End.TRUNCATED, "file ends inside a record header");
            }
            return stop(End.CORRUPT, "unreadable record header");
        }
        long recordSize = h.recordSize();
        if (next + recordSize > fileSize) {
            return stop(End.TRUNCATED, "file ends inside a record of " + recordSize + " bytes");
        }
        if (recordSize > Integer.MAX_VALUE - 16) {
            return stop(End.CORRUPT, "record length " + recordSize + " is impossible");
        }
        ensure(next, (int) recordSize);
        pos = (int) (next - bufStart);
        if (!RecordCodec.checksumMatches(buf, pos, h)) {
            return stop(End.CORRUPT, "checksum mismatch");
        }
        header = h;
        recordOffset = next;
        recordPos = pos;
        next += recordSize;
        return true;
    }

    /**
     * Makes the record at {@code offset} the one the next {@link #next} reads, for a reader that
     * knows where its records start (a merge reading only those an index names). The scanner then
     * reads a few KiB at a time, not a megabyte; a record already in its buffer costs no read.
     */
    public void seek(long offset) {
        next = offset;
        end = null;
        endReason = null;
        window = SEEK_WINDOW;
    }

    private boolean stop(End why, String reason) {
        end = why;
        endReason = reason;
        return false;
    }

    private void ensure(long offset, int need) {
        long have = bufStart + bufLen;
        if (offset >= bufStart && offset + need <= have) {
            return;
        }
        if (need > buf.length) {
            buf = new byte[need];
        }
        int n = (int) Math.min(Math.max(need, window), fileSize - offset);
        int read = file.readFully(offset, buf, 0, n);
        bufStart = offset;
        bufLen = read;
    }

    public Header header() {
        return header;
    }

    /** Offset of the current record in the file. */
    public long offset() {
        return recordOffset;
    }

    /** Offset just past the last good record: where a torn tail would be cut. */
    public long validLength() {
        return next;
    }

    public byte[] key() {
        byte[] k = new byte[header.keyLength()];
        System.arraycopy(buf, recordPos + header.keyOffset(), k, 0, k.length);
        return k;
    }

    public byte[] value() {
        byte[] v = new byte[header.valueLength()];
        System.arraycopy(buf, recordPos + header.valueOffset(), v, 0, v.length);
        return v;
    }

    /** Why the scan stopped; null while records remain. */
    public End end() {
        return end;
    }

    public String endReason() {
        return endReason;
    }
}
