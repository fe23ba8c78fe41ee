package io.couloy.engine.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The data-file record: the only place that knows its byte layout.
 *
 * <pre>
 * +--------+------+-------------+-------------+-------------+---------+-----------+
 * | crc    | type | expiry      | key length  | value length| key     | value     |
 * | u32 LE | u8   | varint64    | varint32    | varint32    | k bytes | v bytes   |
 * +--------+------+-------------+-------------+-------------+---------+-----------+
 *  crc = CRC32C of every byte after the crc field, up to the record's end.
 *  expiry = absolute Unix time in milliseconds, 0 for none; in a member record, index data
 *           instead (a sorted-set member's score as raw double bits, else 0).
 * </pre>
 *
 * Keys and values are opaque bytes (0x00 to 0xFF all allowed). A header is 8 to 25 bytes.
 */
public final class RecordCodec {
    /** Largest possible header: crc, type and three maximal varints. */
    public static final int MAX_HEADER = 4 + 1 + Varint.MAX_LONG_BYTES + 2 * Varint.MAX_INT_BYTES;
    /** Smallest possible record: crc, type and three one-byte varints. */
    public static final int MIN_RECORD = 8;

    private RecordCodec() {}

    /** Total encoded size of a record with these parts. */
    public static int size(long expiry, int keyLength, int valueLength) {
        return 5 + Varint.size(expiry) + Varint.size(keyLength) + Varint.size(valueLength)
                + keyLength + valueLength;
    }

    /** Encodes one record into a new array. {@code value} may be null for a record without one. */
    public static byte[] encode(RecordType type, long expiry, byte[] key, byte[] value) {
        byte[] out = new byte[size(expiry, key.length, value == null ? 0 : value.length)];
        encodeInto(out, 0, type, expiry, key, value);
        return out;
    }

    /** Encodes one record at {@code pos} of {@code out}; returns the position after it. */
    public static int encodeInto(byte[] out, int pos, RecordType type, long expiry, byte[] key, byte[] value) {
        int start = pos;
        int valueLength = value == null ? 0 : value.length;
        pos += 4;
        out[pos++] = type.code;
        pos = Varint.write(out, pos, expiry);
        pos = Varint.write(out, pos, key.length);
        pos = Varint.write(out, pos, valueLength);
        System.arraycopy(key, 0, out, pos, key.length);
        pos += key.length;
        if (valueLength > 0) {
            System.arraycopy(value, 0, out, pos, valueLength);
            pos += valueLength;
        }
        CRC32C crc = new CRC32C();
        crc.update(out, start + 4, pos - start - 4);
        LittleEndian.putInt(out, start, (int) crc.getValue());
        return pos;
    }

    /**
     * Parses the header at {@code buf[pos..limit)}.
     *
     * @return the header; {@link Header#TRUNCATED} if the bytes end inside it; {@link Header#INVALID}
     *     if it cannot be a header (bad type or varint) — the caller decides whether that is a torn
     *     tail or corruption.
     */
    public static Header readHeader(byte[] buf, int pos, int limit) {
        if (limit - pos < MIN_RECORD) {
            return Header.TRUNCATED;
        }
        int storedCrc = LittleEndian.getInt(buf, pos);
        RecordType type = RecordType.of(buf[pos + 4]);
        if (type == null) {
            return Header.INVALID;
        }
        int[] len = new int[1];
        int p = pos + 5;
        long expiry = Varint.read(buf, p, limit, Varint.MAX_LONG_BYTES, len);
        if (len[0] < 0) {
            return len[0] == -1 ? Header.TRUNCATED : Header.INVALID;
        }
        p += len[0];
        long keyLength = Varint.read(buf, p, limit, Varint.MAX_INT_BYTES, len);
        if (len[0] < 0) {
            return len[0] == -1 ? Header.TRUNCATED : Header.INVALID;
        }
        p += len[0];
        long valueLength = Varint.read(buf, p, limit, Varint.MAX_INT_BYTES, len);
        if (len[0] < 0) {
            return len[0] == -1 ? Header.TRUNCATED : Header.INVALID;
        }
        p += len[0];
        // A member record's expiry field is index data (a sorted-set score's bits): any 64 bits.
        if (keyLength > Integer.MAX_VALUE || valueLength > Integer.MAX_VALUE || (expiry < 0 && !type.isMemberPut())) {
            return Header.INVALID;
        }
        return new Header(storedCrc, type, expiry, (int) keyLength, (int) valueLength, p - pos);
    }

    /**
     * Where the value of the record of exactly {@code size} bytes at {@code buf[pos..)} starts, if
     * the record is a PUT (a MEMBER_PUT if {@code member}) of {@code key} and matches its checksum;
     * else -1. {@link #readHeader} and {@link #checksumMatches} in one pass that allocates nothing:
     * list ranges check a hundred records per call.
     */
    public static int valueOffsetIfMatches(byte[] buf, int pos, int size, byte[] key, boolean member) {
        return valueOffsetIfMatches(buf, pos, size, key, member, true);
    }

    /**
     * As {@link #valueOffsetIfMatches(byte[], int, int, byte[], boolean)}, the checksum left
     * unchecked unless {@code checkCrc}: for bytes that never left this process's memory (a data
     * file's tail as it was appended), where the checksum guards against nothing.
     */
    public static int valueOffsetIfMatches(byte[] buf, int pos, int size, byte[] key, boolean member, boolean checkCrc) {
        int end = pos + size;
        if (size < MIN_RECORD || end > buf.length) {
            return -1;
        }
        RecordType type = RecordType.of(buf[pos + 4]);
        if (type == null || !(member ? type.isMemberPut() : type.isPut())) {
            return -1;
        }
        int p = pos + 5;
        // The expiry: any 64 bits in a member record; a put's is never negative, and a negative
        // varint is the only one of ten bytes whose last carries bit 63.
        int expiryEnd = p;
        while (expiryEnd < end && buf[expiryEnd] < 0) {
            expiryEnd++;
        }
        int expiryBytes = expiryEnd - p + 1;
        if (expiryEnd >= end || expiryBytes > Varint.MAX_LONG_BYTES || (!member && expiryBytes == Varint.MAX_LONG_BYTES
                && (buf[expiryEnd] & 1) != 0)) {
            return -1;
        }
        p = expiryEnd + 1;
        long keyField = lengthAt(buf, p, end);
        if (keyField < 0) {
            return -1;
        }
        p += (int) (keyField & 0xF);
        long valueField = lengthAt(buf, p, end);
        if (valueField < 0) {
            return -1;
        }
        p += (int) (valueField & 0xF);
        long keyLength = keyField >>> 4;
        long valueLength = valueField >>> 4;
        if (keyLength != key.length || p + keyLength + valueLength != end
                || !Arrays.equals(buf, p, p + key.length, key, 0, key.length)) {
            return -1;
        }
        if (!checkCrc) {
            return p + key.length;
        }
        CRC32C crc = new CRC32C();
        crc.update(buf, pos + 4, size - 4);
        return (int) crc.getValue() == LittleEndian.getInt(buf, pos) ? p + key.length : -1;
    }

    /** A varint32 length at {@code buf[p..end)}: its value shifted left 4, or'd with its byte count; -1 if cut off or too long. */
    private static long lengthAt(byte[] buf, int p, int end) {
        long value = 0;
        for (int i = 0; i < Varint.MAX_INT_BYTES && p + i < end; i++) {
            byte b = buf[p + i];
            value |= (long) (b & 0x7F) << (7 * i);
            if (b >= 0) {
                return value << 4 | (i + 1);
            }
        }
        return -1;
    }

    /** Whether the record of {@code header} at {@code buf[pos..)} matches its checksum. */
    public static boolean checksumMatches(byte[] buf, int pos, Header header) {
        CRC32C crc = new CRC32C();
        crc.update(buf, pos + 4, (int) header.recordSize() - 4);
        return (int) crc.getValue() == header.crc();
    }

    /**
     * The value of the PUT record (MEMBER_PUT if {@code member}) in {@code record} (exactly one
     * record) if its checksum matches and it holds {@code key}; otherwise null. Reads the mapped
     * bytes in place and copies only the value out.
     */
    public static byte[] valueIfMatches(MemorySegment record, byte[] key, boolean member) {
        int size = (int) record.byteSize();
        byte[] head = new byte[Math.min(MAX_HEADER, size)];
        MemorySegment.copy(record, ValueLayout.JAVA_BYTE, 0, head, 0, head.length);
        Header h = readHeader(head, 0, head.length);
        if (!h.valid() || h.recordSize() != size || !(member ? h.type().isMemberPut() : h.type().isPut())
                || h.keyLength() != key.length) {
            return null;
        }
        if (MemorySegment.mismatch(record, h.keyOffset(), h.keyOffset() + key.length,
                MemorySegment.ofArray(key), 0, key.length) != -1) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(record.asSlice(4).asByteBuffer());
        if ((int) crc.getValue() != h.crc()) {
            return null;
        }
        byte[] value = new byte[h.valueLength()];
        MemorySegment.copy(record, ValueLayout.JAVA_BYTE, h.valueOffset(), value, 0, value.length);
        return value;
    }

    /** A parsed record header. Sizes are those stored; {@link #recordSize()} is the whole record. */
    public record Header(int crc, RecordType type, long expiry, int keyLength, int valueLength, int headerSize) {
        /** The bytes ended before the header did. */
        public static final Header TRUNCATED = new Header(0, null, 0, 0, 0, 0);
        /** The bytes cannot be a header. */
        public static final Header INVALID = new Header(0, null, 0, 0, 0, -1);

        /** Whether this is a real header (not {@link #TRUNCATED} or {@link #INVALID}). */
        public boolean valid() {
            return type != null;
        }

        /** Size of the whole record: header, key and value. */
        public long recordSize() {
            return (long) headerSize + keyLength + valueLength;
        }

        /** Offset of the key from the record's start. */
        public int keyOffset() {
            return headerSize;
        }

        /** Offset of the value from the record's start. */
        public int valueOffset() {
            return headerSize + keyLength;
        }
    }
}
