package io.couloy.engine.format;

/**
 * What a data-file record means. Code 0 is never written, so a zero-filled region (a
 * pre-allocated or torn tail) never parses as a record.
 */
public enum RecordType {
    /** A key's new value. */
    PUT(1),
    /** The key is deleted. No value. */
    DELETE(2),
    /** The key's expiry changes (to the header's expiry, 0 = none); the value stays where it is. */
    EXPIRE(3),
    /** A {@link #PUT} that counts only once the {@link #BATCH_COMMIT} after it is read. */
    BATCH_PUT(4),
    /** A {@link #DELETE} that counts only once the {@link #BATCH_COMMIT} after it is read. */
    BATCH_DELETE(5),
    /** Ends a batch: the records since the last non-batch record take effect together. */
    BATCH_COMMIT(6);

    private static final RecordType[] BY_CODE = new RecordType[7];

    static {
        for (RecordType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    public final byte code;

    RecordType(int code) {
        this.code = (byte) code;
    }

    /** The type for {@code code}, or null if no type has it. */
    public static RecordType of(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Whether the record sets a value. */
    public boolean isPut() {
        return this == PUT || this == BATCH_PUT;
    }

    /** Whether the record deletes its key. */
    public boolean isDelete() {
        return this == DELETE || this == BATCH_DELETE;
    }

    /** Whether the record belongs to a batch and waits for its commit marker. */
    public boolean inBatch() {
        return this == BATCH_PUT || this == BATCH_DELETE;
    }
}
