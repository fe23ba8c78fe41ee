package io.couloy.server.dump;

import com.ning.compress.lzf.LZFException;
import com.ning.compress.lzf.impl.VanillaChunkDecoder;
import io.couloy.engine.Hashes;
import io.couloy.engine.ZSets;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis's DUMP serialization: one RDB object, the RDB version, a CRC-64 of both.
 *
 * <pre>
 *   +------+---------------------------+-------------------+-----------------------+
 *   | type | value in RDB encoding     | RDB version (u16) | CRC-64 Jones (u64)    |
 *   | 1 B  | lengths, strings, ...     | little endian     | little endian, of all |
 *   +------+---------------------------+-------------------+-----------------------+
 * </pre>
 *
 * <p>DUMP writes the plain encodings every Redis since 2.x reads (string with Redis's integer
 * forms, list, set, hash, sorted set with binary scores), stamped RDB version 10 (Redis 7.0).
 * Strings are not LZF-compressed, so a DUMP of a long compressible string is longer than
 * Redis's, but means the same. RESTORE also reads what Redis 7 writes: LZF strings, quicklists
 * of listpacks, listpack hashes and sorted sets, intsets, listpack sets (7.2).
 */
public final class DumpPayload {
    /** The newest RDB version read (Redis 7.2's); later ones are refused, as Redis refuses versions it does not know. */
    static final int RDB_VERSION = 11;
    /** The version DUMP stamps: Redis 7.0's, so Redis 7.0 and later accept our payloads. */
    static final int WRITTEN_VERSION = 10;

    /** The longest string a payload may hold: Redis's default proto-max-bulk-len. */
    static final long MAX_STRING = 512L * 1024 * 1024;

    static final int TYPE_STRING = 0;
    static final int TYPE_LIST = 1;
    static final int TYPE_SET = 2;
    static final int TYPE_ZSET = 3;
    static final int TYPE_HASH = 4;
    static final int TYPE_ZSET_2 = 5;
    static final int TYPE_SET_INTSET = 11;
    static final int TYPE_HASH_LISTPACK = 16;
    static final int TYPE_ZSET_LISTPACK = 17;
    static final int TYPE_LIST_QUICKLIST_2 = 18;
    static final int TYPE_SET_LISTPACK = 20;

    private DumpPayload() {}

    /** Why a payload was refused, worded as Redis words it. */
    public static final class BadPayloadException extends RuntimeException {
        BadPayloadException(String message) {
            super(message);
        }
    }

    public static byte[] encode(StoredValue v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (v) {
            case StoredValue.Str s -> {
                out.write(TYPE_STRING);
                writeString(out, s.value());
            }
            case StoredValue.ListValue l -> {
                out.write(TYPE_LIST);
                writeLength(out, l.elements().size());
                l.elements().forEach(e -> writeString(out, e));
            }
            case StoredValue.SetValue s -> {
                out.write(TYPE_SET);
                writeLength(out, s.members().size());
                s.members().forEach(m -> writeString(out, m));
            }
            case StoredValue.HashValue h -> {
                out.write(TYPE_HASH);
                writeLength(out, h.fields().size());
                for (Hashes.FieldValue fv : h.fields()) {
                    writeString(out, fv.field());
                    writeString(out, fv.value());
                }
            }
            case StoredValue.ZSetValue z -> {
                out.write(TYPE_ZSET_2);
                writeLength(out, z.entries().size());
                for (ZSets.Entry e : z.entries().reversed()) { // highest first, as Redis saves them
                    writeString(out, e.member());
                    writeLong(out, Double.doubleToRawLongBits(e.score()), 8);
                }
            }
        }
        writeLong(out, WRITTEN_VERSION, 2);
        byte[] body = out.toByteArray();
        writeLong(out, Crc64.of(body, 0, body.length), 8);
        return out.toByteArray();
    }

    /** RDB_OPCODE_FUNCTION2: a function library's code follows. */
    static final int OPCODE_FUNCTION = 245;

    /** FUNCTION DUMP: each library's code after the function opcode, then the version and checksum. */
    public static byte[] encodeFunctions(List<byte[]> codes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] code : codes) {
            out.write(OPCODE_FUNCTION);
            writeLength(out, code.length);
            out.writeBytes(code);
        }
        writeLong(out, WRITTEN_VERSION, 2);
        byte[] body = out.toByteArray();
        writeLong(out, Crc64.of(body, 0, body.length), 8);
        return out.toByteArray();
    }

    /** FUNCTION RESTORE: the libraries' code in a payload. */
    public static List<byte[]> decodeFunctions(byte[] payload) {
        int footer = checkFooter(payload, "ERR DUMP payload version or checksum are wrong");
        try {
            Reader r = new Reader(payload, footer);
            List<byte[]> codes = new ArrayList<>();
            while (r.pos < footer) {
                if (r.u8() != OPCODE_FUNCTION) {
                    throw new BadPayloadException("ERR given type is not a function");
                }
                codes.add(r.string());
            }
            return codes;
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new BadPayloadException("ERR failed loading the library");
        }
    }

    /** Checks the version and checksum; returns where the footer starts. */
    private static int checkFooter(byte[] payload, String wrong) {
        if (payload.length < 10) {
            throw new BadPayloadException(wrong);
        }
        int footer = payload.length - 10;
        int version = (payload[footer] & 0xff) | (payload[footer + 1] & 0xff) << 8;
        long crc = 0;
        for (int i = 7; i >= 0; i--) {
            crc = crc << 8 | (payload[footer + 2 + i] & 0xff);
        }
        if (version > RDB_VERSION || Crc64.of(payload, 0, footer + 2) != crc) {
            throw new BadPayloadException(wrong);
        }
        return footer;
    }

    /** The value in a payload; BadPayloadException with Redis's text if it is not one. */
    public static StoredValue decode(byte[] payload) {
        int footer = checkFooter(payload, "ERR DUMP payload version or checksum are wrong");
        try {
            Reader r = new Reader(payload, footer);
            StoredValue v = r.object(r.u8());
            if (r.pos != footer) {
                throw new BadPayloadException("ERR Bad data format");
            }
            return v;
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new BadPayloadException("ERR Bad data format");
        }
    }

    // ------------------------------------------------------------------ writing

    private static void writeLength(ByteArrayOutputStream out, long len) {
        if (len < 1 << 6) {
            out.write((int) len);
        } else if (len < 1 << 14) {
            out.write(0x40 | (int) (len >> 8));
            out.write((int) len & 0xff);
        } else if (len <= 0xffffffffL) {
            out.write(0x80);
            for (int i = 3; i >= 0; i--) {
                out.write((int) (len >> (8 * i)) & 0xff);
            }
        } else {
            out.write(0x81);
            for (int i = 7; i >= 0; i--) {
                out.write((int) (len >> (8 * i)) & 0xff);
            }
        }
    }

    /** A string as Redis writes it: an integer form when it is a short canonical integer, else length and bytes. */
    private static void writeString(ByteArrayOutputStream out, byte[] s) {
        if (s.length <= 11) {
            Long n = canonicalInteger(s);
            if (n != null && n >= Byte.MIN_VALUE && n <= Byte.MAX_VALUE) {
                out.write(0xc0);
                out.write(n.intValue() & 0xff);
                return;
            }
            if (n != null && n >= Short.MIN_VALUE && n <= Short.MAX_VALUE) {
                out.write(0xc1);
                writeLong(out, n, 2);
                return;
            }
            if (n != null && n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                out.write(0xc2);
                writeLong(out, n, 4);
                return;
            }
        }
        writeLength(out, s.length);
        out.writeBytes(s);
    }

    private static Long canonicalInteger(byte[] s) {
        try {
            String text = new String(s, StandardCharsets.US_ASCII);
            long n = Long.parseLong(text);
            return Long.toString(n).equals(text) ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void writeLong(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    // ------------------------------------------------------------------ reading

    /** Reads RDB encodings from {@code b} up to {@code end}. */
    private static final class Reader {
        final byte[] b;
        final int end;
        int pos;

        Reader(byte[] b, int end) {
            this.b = b;
            this.end = end;
        }

        int u8() {
            if (pos >= end) {
                throw new IndexOutOfBoundsException("past the end");
            }
            return b[pos++] & 0xff;
        }

        long le(int bytes) {
            long v = 0;
            for (int i = 0; i < bytes; i++) {
                v |= (long) u8() << (8 * i);
            }
            return v;
        }

        /** A length, or -1 - (encoding) for the special string encodings (0xC0 + n). */
        long length() {
            int first = u8();
            return switch (first >> 6) {
                case 0 -> first & 0x3f;
                case 1 -> (first & 0x3f) << 8 | u8();
                case 2 -> {
                    if (first == 0x80) {
                        long v = 0;
                        for (int i = 0; i < 4; i++) {
                            v = v << 8 | u8();
                        }
                        yield v;
                    }
                    if (first == 0x81) {
                        long v = 0;
                        for (int i = 0; i < 8; i++) {
                            v = v << 8 | u8();
                        }
                        yield v;
                    }
                    throw new IllegalArgumentException("bad length");
                }
                default -> -1 - (first & 0x3f);
            };
        }

        long count() {
            long n = length();
            if (n < 0 || n > end - pos) { // every element takes at least a byte
                throw new IllegalArgumentException("bad count");
            }
            return n;
        }

        byte[] string() {
            long len = length();
            if (len >= 0) {
                if (len > end - pos) {
                    throw new IllegalArgumentException("string past the end");
                }
                byte[] s = java.util.Arrays.copyOfRange(b, pos, pos + (int) len);
                pos += (int) len;
                return s;
            }
            int enc = (int) (-1 - len);
            return switch (enc) {
                case 0 -> Long.toString((byte) u8()).getBytes(StandardCharsets.US_ASCII);
                case 1 -> Long.toString((short) le(2)).getBytes(StandardCharsets.US_ASCII);
                case 2 -> Long.toString((int) le(4)).getBytes(StandardCharsets.US_ASCII);
                case 3 -> lzf();
                default -> throw new IllegalArgumentException("unknown string encoding");
            };
        }

        private byte[] lzf() {
            long clen = length();
            long len = length();
            // LZF expands at most about 100-fold; a larger claim is a lie that would cost memory.
            if (clen < 0 || len < 0 || clen > end - pos || len > Math.min(clen * 300, MAX_STRING)) {
                throw new IllegalArgumentException("bad LZF lengths");
            }
            byte[] out = new byte[(int) len];
            try {
                new VanillaChunkDecoder().decodeChunk(b, pos, out, 0, out.length);
            } catch (LZFException e) {
                throw new IllegalArgumentException("bad LZF data", e);
            }
            pos += (int) clen;
            return out;
        }

        double binaryDouble() {
            return Double.longBitsToDouble(le(8));
        }

        /** The old ZSET encoding's score: a length byte and the number as text (253-255: nan, +inf, -inf). */
        double textDouble() {
            int n = u8();
            return switch (n) {
                case 253 -> Double.NaN;
                case 254 -> Double.POSITIVE_INFINITY;
                case 255 -> Double.NEGATIVE_INFINITY;
                default -> {
                    String text = new String(b, pos, n, StandardCharsets.US_ASCII);
                    pos += n;
                    yield Double.parseDouble(text);
                }
            };
        }

        StoredValue object(int type) {
            StoredValue v = switch (type) {
                case TYPE_STRING -> new StoredValue.Str(string());
                case TYPE_LIST, TYPE_SET -> {
                    long n = count();
                    List<byte[]> items = new ArrayList<>();
                    for (long i = 0; i < n; i++) {
                        items.add(string());
                    }
                    yield type == TYPE_LIST ? new StoredValue.ListValue(items) : new StoredValue.SetValue(items);
                }
                case TYPE_ZSET, TYPE_ZSET_2 -> {
                    long n = count();
                    List<ZSets.Entry> entries = new ArrayList<>();
                    for (long i = 0; i < n; i++) {
                        byte[] member = string();
                        double score = type == TYPE_ZSET_2 ? binaryDouble() : textDouble();
                        if (Double.isNaN(score)) {
                            throw new IllegalArgumentException("NaN score");
                        }
                        entries.add(new ZSets.Entry(member, score));
                    }
                    yield new StoredValue.ZSetValue(entries);
                }
                case TYPE_HASH -> {
                    long n = count();
                    List<Hashes.FieldValue> fields = new ArrayList<>();
                    for (long i = 0; i < n; i++) {
                        fields.add(new Hashes.FieldValue(string(), string()));
                    }
                    yield new StoredValue.HashValue(fields);
                }
                case TYPE_SET_INTSET -> new StoredValue.SetValue(PackedEncodings.intSet(string()));
                case TYPE_SET_LISTPACK -> new StoredValue.SetValue(PackedEncodings.listPack(string()));
                case TYPE_HASH_LISTPACK -> {
                    List<byte[]> flat = pairs(PackedEncodings.listPack(string()));
                    List<Hashes.FieldValue> fields = new ArrayList<>();
                    for (int i = 0; i < flat.size(); i += 2) {
                        fields.add(new Hashes.FieldValue(flat.get(i), flat.get(i + 1)));
                    }
                    yield new StoredValue.HashValue(fields);
                }
                case TYPE_ZSET_LISTPACK -> {
                    List<byte[]> flat = pairs(PackedEncodings.listPack(string()));
                    List<ZSets.Entry> entries = new ArrayList<>();
                    for (int i = 0; i < flat.size(); i += 2) {
                        double score = listPackScore(new String(flat.get(i + 1), StandardCharsets.US_ASCII));
                        if (Double.isNaN(score)) {
                            throw new IllegalArgumentException("NaN score");
                        }
                        entries.add(new ZSets.Entry(flat.get(i), score));
                    }
                    yield new StoredValue.ZSetValue(entries);
                }
                case TYPE_LIST_QUICKLIST_2 -> {
                    long nodes = count();
                    List<byte[]> items = new ArrayList<>();
                    for (long i = 0; i < nodes; i++) {
                        long container = length();
                        byte[] data = string();
                        if (container == 1) { // PLAIN: one large element
                            items.add(data);
                        } else if (container == 2) { // PACKED: a listpack
                            items.addAll(PackedEncodings.listPack(data));
                        } else {
                            throw new IllegalArgumentException("bad quicklist container");
                        }
                    }
                    yield new StoredValue.ListValue(items);
                }
                default -> throw new IllegalArgumentException("unsupported RDB type " + type);
            };
            if (isEmpty(v)) {
                throw new IllegalArgumentException("empty collection"); // Redis refuses empty keys too
            }
            return v;
        }

        /** A score as Redis's d2string writes it into a listpack: digits, or inf / -inf. */
        private static double listPackScore(String text) {
            return switch (text.toLowerCase(java.util.Locale.ROOT)) {
                case "inf", "+inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> {
                    if (!text.matches("[-+0-9.eE]+")) { // Java would also take "NaN", "Infinity", hex floats
                        throw new IllegalArgumentException("bad score");
                    }
                    yield Double.parseDouble(text);
                }
            };
        }

        private static List<byte[]> pairs(List<byte[]> flat) {
            if (flat.size() % 2 != 0) {
                throw new IllegalArgumentException("odd listpack of pairs");
            }
            return flat;
        }

        private static boolean isEmpty(StoredValue v) {
            return switch (v) {
                case StoredValue.Str s -> false;
                case StoredValue.ListValue l -> l.elements().isEmpty();
                case StoredValue.SetValue s -> s.members().isEmpty();
                case StoredValue.HashValue h -> h.fields().isEmpty();
                case StoredValue.ZSetValue z -> z.entries().isEmpty();
            };
        }
    }
}
