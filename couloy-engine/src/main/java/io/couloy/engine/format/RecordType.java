package io.couloy.engine.format;

/**
 * What a data-file record means. Code 0 is never written, so a zero-filled region (a
 * pre-allocated or torn tail) never parses as a record.
 *
 * <p>Every type that changes the key directory has a batch twin that counts only once the
 * {@link #BATCH_COMMIT} after it is read; {@link #committed()} maps a twin to the plain type,
 * which is what hint files record.
 */
public enum RecordType {
    /** A string key's new value. */
    PUT(1),
    /** The key is deleted, whatever its type (a collection's members die with it). No value. */
    DELETE(2),
    /** The key's expiry changes (to the header's expiry, 0 = none); the value stays where it is. */
    EXPIRE(3),
    BATCH_PUT(4),
    BATCH_DELETE(5),
    /** Ends a batch: the records since the last non-batch record take effect together. */
    BATCH_COMMIT(6),
    /**
     * A collection key is created: the value is a {@link CollectionHeader} (kind and id). Members
     * written under another id, or before it, are dead.
     */
    COLLECTION(7),
    /** A member of a collection is set; the key is a {@link MemberKey}, the value the member's value. */
    MEMBER_PUT(8),
    /** A member of a collection is removed; the key is a {@link MemberKey}. No value. */
    MEMBER_DELETE(9),
    BATCH_COLLECTION(10),
    BATCH_MEMBER_PUT(11),
    BATCH_MEMBER_DELETE(12),
    /** An expiry change inside a batch (EXPIRE in MULTI/EXEC, a restored key's TTL). */
    BATCH_EXPIRE(13);

    private static final RecordType[] BY_CODE = new RecordType[14];

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

    /** Whether the record sets a string value. */
    public boolean isPut() {
        return this == PUT || this == BATCH_PUT;
    }

    /** Whether the record deletes its key. */
    public boolean isDelete() {
        return this == DELETE || this == BATCH_DELETE;
    }

    /** Whether the record creates a collection key. */
    public boolean isCollection() {
        return this == COLLECTION || this == BATCH_COLLECTION;
    }

    /** Whether the record sets a collection member. */
    public boolean isMemberPut() {
        return this == MEMBER_PUT || this == BATCH_MEMBER_PUT;
    }

    /** Whether the record removes a collection member. */
    public boolean isMemberDelete() {
        return this == MEMBER_DELETE || this == BATCH_MEMBER_DELETE;
    }

    /** Whether the record is the current state of something while an index points at it (what merge copies). */
    public boolean holdsState() {
        return isPut() || isCollection() || isMemberPut();
    }

    /** Whether the record belongs to a batch and waits for its commit marker. */
    public boolean inBatch() {
        return switch (this) {
            case BATCH_PUT, BATCH_DELETE, BATCH_COLLECTION, BATCH_MEMBER_PUT, BATCH_MEMBER_DELETE, BATCH_EXPIRE -> true;
            default -> false;
        };
    }

    /** The type a record of this type has once its batch committed (itself outside batches). */
    public RecordType committed() {
        return switch (this) {
            case BATCH_PUT -> PUT;
            case BATCH_DELETE -> DELETE;
            case BATCH_COLLECTION -> COLLECTION;
            case BATCH_MEMBER_PUT -> MEMBER_PUT;
            case BATCH_MEMBER_DELETE -> MEMBER_DELETE;
            case BATCH_EXPIRE -> EXPIRE;
            default -> this;
        };
    }

    /** The batch twin of this type; {@link IllegalStateException} for a type that has none. */
    public RecordType batched() {
        return switch (this) {
            case PUT -> BATCH_PUT;
            case DELETE -> BATCH_DELETE;
            case COLLECTION -> BATCH_COLLECTION;
            case MEMBER_PUT -> BATCH_MEMBER_PUT;
            case MEMBER_DELETE -> BATCH_MEMBER_DELETE;
            case EXPIRE -> BATCH_EXPIRE;
            default -> throw new IllegalStateException(this + " cannot be part of a batch");
        };
    }
}
