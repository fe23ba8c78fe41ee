package io.couloy.engine.format;

import java.util.zip.CRC32C;

/**
 * The hint file: one entry per record of its data file that changes the key directory, so that
 * opening a database reads keys and positions, never values.
 *
 * <pre>
 * header  +---------+---------+-----------+
 *         | "CLHT"  | version | reserved  |
 *         | 4 bytes | u8      | 3 bytes   |
 *         +---------+---------+-----------+
 * entry   +------+-----------+-----------+-----------+-----------+---------+----------------+
 *         | type | expiry    | offset    | size      | key length| key     | [value length, |
 *         | u8   | varint64  | varint64  | varint32  | varint32  | k bytes |  value]        |
 *         +------+-----------+-----------+-----------+-----------+---------+----------------+
 * footer  +-----------+-----------+---------+
 *         | entries   | crc       | "CLHE"  |
 *         | u32 LE    | u32 LE    | 4 bytes |
 *         +-----------+-----------+---------+
 *  crc = CRC32C of header, entries and the entry count. type is a {@link RecordType} code (PUT, DELETE, EXPIRE;
 *  batch records appear here only once committed, as their {@link RecordType#committed()} type).
 *  offset and size locate the record in the data file. Only COLLECTION entries carry the value
 *  (a {@link CollectionHeader}, a few bytes), so opening never reads a data file to learn a
 *  key's type.
 * </pre>
 *
 * A hint whose footer is missing or whose crc does not match is ignored and rebuilt from its data
 * file: hints are an optimisation, never the only copy of anything.
 */
public final class HintCodec {
    public static final int MAGIC = 0x54484C43; // "CLHT" little-endian
    public static final int FOOTER_MAGIC = 0x45484C43; // "CLHE" little-endian
    public static final byte VERSION = 2;
    public static final int HEADER_SIZE = 8;
    public static final int FOOTER_SIZE = 12;
    /** Largest entry header before the key. */
    public static final int MAX_ENTRY_HEADER = 1 + Varint.MAX_LONG_BYTES * 2 + Varint.MAX_INT_BYTES * 2;

    private HintCodec() {}

    /** Writes the file header into {@code out[0..8)}. */
    public static void writeHeader(byte[] out) {
        LittleEndian.putInt(out, 0, MAGIC);
        out[4] = VERSION;
        out[5] = out[6] = out[7] = 0;
    }

    /** Whether entries of {@code type} carry the record's value. */
    public static boolean carriesValue(RecordType type) {
        return type == RecordType.COLLECTION;
    }

    /** Bytes {@link #writeEntry} needs at most. */
    public static int maxEntrySize(RecordType type, byte[] key, byte[] value) {
        return MAX_ENTRY_HEADER + key.length + (carriesValue(type) ? Varint.MAX_INT_BYTES + value.length : 0);
    }

    /**
     * Encodes one entry at {@code pos}; returns the position after it. {@code value} is written
     * only for types that {@link #carriesValue carry it}. Needs {@link #maxEntrySize} bytes.
     */
    public static int writeEntry(byte[] out, int pos, RecordType type, long expiry, long offset, int size, byte[] key,
            byte[] value) {
        out[pos++] = type.code;
        pos = Varint.write(out, pos, expiry);
        pos = Varint.write(out, pos, offset);
        pos = Varint.write(out, pos, size);
        pos = Varint.write(out, pos, key.length);
        System.arraycopy(key, 0, out, pos, key.length);
        pos += key.length;
        if (carriesValue(type)) {
            pos = Varint.write(out, pos, value.length);
            System.arraycopy(value, 0, out, pos, value.length);
            pos += value.length;
        }
        return pos;
    }

    /**
     * Writes the footer into {@code out[pos..pos+12)}; {@code crc} has seen the header and every
     * entry, and sees the count here too.
     */
    public static void writeFooter(byte[] out, int pos, int entries, CRC32C crc) {
        LittleEndian.putInt(out, pos, entries);
        crc.update(out, pos, 4);
        LittleEndian.putInt(out, pos + 4, (int) crc.getValue());
        LittleEndian.putInt(out, pos + 8, FOOTER_MAGIC);
    }

    /** Receives hint entries in file order. */
    @FunctionalInterface
    public interface EntryVisitor {
        /** {@code value} is null unless the type {@link #carriesValue carries it}. */
        void visit(RecordType type, long expiry, long offset, int size, byte[] key, byte[] value);
    }

    /**
     * Checks a whole hint file and, only if it is intact, hands each entry to {@code visitor}.
     *
     * @return null if the file was intact and every entry visited; otherwise why it is not
     *     (nothing was visited, except in the "entry count mismatch" case).
     */
    public static String parse(byte[] file, EntryVisitor visitor) {
        if (file.length < HEADER_SIZE + FOOTER_SIZE) {
            return "too short";
        }
        if (LittleEndian.getInt(file, 0) != MAGIC || file[4] != VERSION) {
            return "bad magic or version";
        }
        int footer = file.length - FOOTER_SIZE;
        if (LittleEndian.getInt(file, footer + 8) != FOOTER_MAGIC) {
            return "no footer";
        }
        CRC32C crc = new CRC32C();
        crc.update(file, 0, footer + 4);
        if ((int) crc.getValue() != LittleEndian.getInt(file, footer + 4)) {
            return "checksum mismatch";
        }
        int expected = LittleEndian.getInt(file, footer);
        // The checksum matched, so the entries are as written; should they still not parse (a
        // bug, not damage), the caller rescans the data file, and replaying a file's records
        // again after a partial replay of the same file ends in the same state.
        int count = walk(file, footer, visitor);
        if (count != expected) {
            return "entry count mismatch";
        }
        return null;
    }

    /** The entry count a hint's footer declares, or -1 if the bytes do not end with a footer. */
    public static int declaredEntries(byte[] file) {
        if (file.length < HEADER_SIZE + FOOTER_SIZE
                || LittleEndian.getInt(file, file.length - FOOTER_SIZE + 8) != FOOTER_MAGIC) {
            return -1;
        }
        return LittleEndian.getInt(file, file.length - FOOTER_SIZE);
    }

    private static int walk(byte[] file, int end, EntryVisitor visitor) {
        int pos = HEADER_SIZE;
        int count = 0;
        int[] len = new int[1];
        while (pos < end) {
            RecordType type = RecordType.of(file[pos++]);
            if (type == null) {
                return -1;
            }
            long expiry = Varint.read(file, pos, end, Varint.MAX_LONG_BYTES, len);
            if (len[0] < 0) return -1;
            pos += len[0];
            long offset = Varint.read(file, pos, end, Varint.MAX_LONG_BYTES, len);
            if (len[0] < 0) return -1;
            pos += len[0];
            long size = Varint.read(file, pos, end, Varint.MAX_INT_BYTES, len);
            if (len[0] < 0) return -1;
            pos += len[0];
            long keyLength = Varint.read(file, pos, end, Varint.MAX_INT_BYTES, len);
            if (len[0] < 0 || keyLength > end - pos - len[0]) return -1;
            pos += len[0];
            int keyAt = pos;
            pos += (int) keyLength;
            byte[] value = null;
            if (carriesValue(type)) {
                long valueLength = Varint.read(file, pos, end, Varint.MAX_INT_BYTES, len);
                if (len[0] < 0 || valueLength > end - pos - len[0]) return -1;
                pos += len[0];
                value = java.util.Arrays.copyOfRange(file, pos, pos + (int) valueLength);
                pos += (int) valueLength;
            }
            if (visitor != null) {
                byte[] key = java.util.Arrays.copyOfRange(file, keyAt, keyAt + (int) keyLength);
                visitor.visit(type, expiry, offset, (int) size, key, value);
            }
            count++;
        }
        return count;
    }
}
