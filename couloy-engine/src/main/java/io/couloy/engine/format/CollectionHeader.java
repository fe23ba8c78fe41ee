package io.couloy.engine.format;

/**
 * The value of a {@link RecordType#COLLECTION} record: what kind of collection a key holds and
 * the id its members' {@link MemberKey}s carry.
 *
 * <pre>
 * +--------+-----------+
 * | kind   | id        |
 * | u8     | varint64  |
 * +--------+-----------+
 * </pre>
 */
public record CollectionHeader(int kind, long id) {
    public static final int KIND_HASH = 1;
    public static final int KIND_SET = 2;
    public static final int KIND_LIST = 3;
    public static final int KIND_ZSET = 4;

    public byte[] encode() {
        byte[] out = new byte[1 + Varint.size(id)];
        out[0] = (byte) kind;
        Varint.write(out, 1, id);
        return out;
    }

    /** Decodes a header; {@link MalformedRecordException} if the bytes are not one. */
    public static CollectionHeader decode(byte[] value) {
        if (value == null || value.length < 2) {
            throw new MalformedRecordException("collection header too short");
        }
        int[] len = new int[1];
        long id = Varint.read(value, 1, value.length, Varint.MAX_LONG_BYTES, len);
        if (len[0] != value.length - 1) {
            throw new MalformedRecordException("collection header has a bad id");
        }
        return new CollectionHeader(value[0] & 0xFF, id);
    }
}
