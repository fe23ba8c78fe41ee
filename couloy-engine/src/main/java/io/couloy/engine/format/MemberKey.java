package io.couloy.engine.format;

import java.util.Arrays;

/**
 * The record key of a collection member: which key, which incarnation of it, which member.
 *
 * <pre>
 * +-------------+----------+-------------+-----------+
 * | key length  | key      | id          | member    |
 * | varint32    | k bytes  | varint64    | the rest  |
 * +-------------+----------+-------------+-----------+
 * </pre>
 *
 * The id is the one the key's {@link CollectionHeader} gave when the collection was created;
 * deleting the key and creating it again gives a new id, so the old members are dead without
 * being rewritten (deleting a collection of any size writes one record).
 */
public final class MemberKey {
    private MemberKey() {}

    /** Encodes the record key of {@code member} in collection {@code id} of {@code key}. */
    public static byte[] encode(byte[] key, long id, byte[] member) {
        int n = Varint.size(key.length) + key.length + Varint.size(id) + member.length;
        byte[] out = new byte[n];
        int p = Varint.write(out, 0, key.length);
        System.arraycopy(key, 0, out, p, key.length);
        p = Varint.write(out, p + key.length, id);
        System.arraycopy(member, 0, out, p, member.length);
        return out;
    }

    /** Decodes a member record key; {@link MalformedRecordException} if it is not one. */
    public static Parts decode(byte[] recordKey) {
        int[] len = new int[1];
        long keyLength = Varint.read(recordKey, 0, recordKey.length, Varint.MAX_INT_BYTES, len);
        if (len[0] < 0 || keyLength > recordKey.length - len[0]) {
            throw new MalformedRecordException("member record key has a bad key length");
        }
        int p = len[0];
        byte[] key = Arrays.copyOfRange(recordKey, p, p + (int) keyLength);
        p += (int) keyLength;
        long id = Varint.read(recordKey, p, recordKey.length, Varint.MAX_LONG_BYTES, len);
        if (len[0] < 0) {
            throw new MalformedRecordException("member record key has a bad collection id");
        }
        p += len[0];
        return new Parts(key, id, Arrays.copyOfRange(recordKey, p, recordKey.length));
    }

    /** A decoded member record key. */
    public record Parts(byte[] key, long id, byte[] member) {}
}
