package io.couloy.engine;

import io.couloy.engine.types.NumberText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Redis's string operations beyond get and put — conditional SET, counters, ranges and the
 * bitmap commands (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD) — on a {@link CouloyDB}.
 * Get one with {@link CouloyDB#strings()}; it holds no state of its own.
 *
 * <p>Every read-modify-write (INCR, APPEND, SETRANGE, SETBIT, BITFIELD, ...) is atomic and
 * rewrites the whole value as one record, keeping the key's expiry, as Redis keeps it. Bits are
 * numbered from the most significant bit of the first byte, as in Redis. Operations on a key
 * holding a collection throw {@link WrongTypeException}.
 */
public final class Strings {
    /** Largest string a write may produce: Redis's 512 MB. */
    public static final long MAX_LENGTH = 512L * 1024 * 1024;

    private final CouloyDB db;

    Strings(CouloyDB db) {
        this.db = db;
    }

    // ------------------------------------------------------------------ SET family

    /** When {@link #set} writes. */
    public enum Condition {
        ALWAYS,
        /** NX: only if the key does not exist. */
        IF_ABSENT,
        /** XX: only if the key exists. */
        IF_PRESENT
    }

    /** What {@link #set} did: whether it wrote, and the value before (if asked for and the key held one). */
    public record SetResult(boolean written, byte[] previous) {}

    /**
     * SET with its options: writes {@code value} if {@code condition} holds, expiring at
     * {@code expireAtMillis} (0: no expiry; a time already past deletes the key, as Redis does)
     * or keeping the current expiry if {@code keepTtl}. With {@code returnPrevious} (SET ... GET)
     * the key must hold a string or nothing.
     */
    public SetResult set(byte[] key, byte[] value, Condition condition, long expireAtMillis, boolean keepTtl,
            boolean returnPrevious) {
        Objects.requireNonNull(value, "value");
        return db.mutate(m -> {
            byte[] previous = returnPrevious ? db.stringValue(key) : null;
            boolean exists = db.type(key) != null;
            if ((condition == Condition.IF_ABSENT && exists) || (condition == Condition.IF_PRESENT && !exists)) {
                return new SetResult(false, previous);
            }
            long expiry = keepTtl ? db.expiryOf(key) : expireAtMillis;
            if (expiry != 0 && expiry <= db.nowMillis()) {
                if (exists) {
                    db.deleteKey(m, key);
                }
            } else {
                db.putString(m, key, value, expiry);
            }
            return new SetResult(true, previous);
        });
    }

    /** GETDEL: the value, and the key deleted; null if absent. */
    public byte[] getAndDelete(byte[] key) {
        return db.mutate(m -> {
            byte[] v = db.stringValue(key);
            if (v != null) {
                db.deleteKey(m, key);
            }
            return v;
        });
    }

    /**
     * GETEX: the value, with the expiry changed to {@code expireAtMillis} (a past time deletes
     * the key) or removed if {@code persist}; neither: only a read.
     */
    public byte[] getAndExpire(byte[] key, long expireAtMillis, boolean persist) {
        return db.mutate(m -> {
            byte[] v = db.stringValue(key);
            if (v == null) {
                return null;
            }
            if (persist) {
                if (db.expiryOf(key) != 0) {
                    db.setExpiry(m, key, 0);
                }
            } else if (expireAtMillis != 0) {
                if (expireAtMillis <= db.nowMillis()) {
                    db.deleteKey(m, key);
                } else {
                    db.setExpiry(m, key, expireAtMillis);
                }
            }
            return v;
        });
    }

    // ------------------------------------------------------------------ counters and ranges

    /**
     * INCRBY (INCR, DECR, DECRBY): adds {@code delta} to the integer the key holds (0 if absent).
     *
     * @throws InvalidValueException "value is not an integer or out of range" or "increment or
     *     decrement would overflow"
     */
    public long incrementBy(byte[] key, long delta) {
        return db.mutateLong(m -> {
            byte[] v = db.stringValue(key);
            long current = v == null ? 0 : NumberText.parseLong(v, "value is not an integer or out of range");
            long next;
            try {
                next = Math.addExact(current, delta);
            } catch (ArithmeticException e) {
                throw new InvalidValueException("increment or decrement would overflow");
            }
            db.putString(m, key, NumberText.formatLong(next), db.expiryOf(key));
            return next;
        });
    }

    /**
     * INCRBYFLOAT: adds the decimal {@code delta}; returns the new value as stored (Redis's format).
     *
     * @throws InvalidValueException "value is not a valid float" or "increment would produce NaN or Infinity"
     */
    public byte[] incrementByFloat(byte[] key, byte[] delta) {
        BigDecimal d = NumberText.parseDecimal(delta, "value is not a valid float");
        return db.mutate(m -> {
            byte[] v = db.stringValue(key);
            BigDecimal current = v == null ? BigDecimal.ZERO : NumberText.parseDecimal(v, "value is not a valid float");
            byte[] next = NumberText.formatDecimal(current.add(d));
            db.putString(m, key, next, db.expiryOf(key));
            return next.clone();
        });
    }

    /** APPEND: returns the new length. */
    public long append(byte[] key, byte[] suffix) {
        return db.mutate(m -> {
            byte[] v = db.stringValue(key);
            byte[] next = v == null ? suffix.clone() : concat(v, suffix);
            checkLength(next.length);
            db.putString(m, key, next, db.expiryOf(key));
            return (long) next.length;
        });
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void checkLength(long length) {
        if (length > MAX_LENGTH) {
            throw new InvalidValueException("string exceeds maximum allowed size (proto-max-bulk-len)");
        }
    }

    /** STRLEN: 0 if absent. */
    public long length(byte[] key) {
        byte[] v = db.get(key);
        return v == null ? 0 : v.length;
    }

    /** GETRANGE (SUBSTR): bytes {@code start} to {@code end} inclusive, negative from the end, clamped. */
    public byte[] range(byte[] key, long start, long end) {
        byte[] v = db.get(key);
        if (v == null) {
            return new byte[0];
        }
        long n = v.length;
        if (start < 0 && end < 0 && start > end) {
            return new byte[0];
        }
        if (start < 0) {
            start = Math.max(0, n + start);
        }
        if (end < 0) {
            end = Math.max(0, n + end);
        }
        end = Math.min(end, n - 1);
        if (start > end || n == 0) {
            return new byte[0];
        }
        return Arrays.copyOfRange(v, (int) start, (int) end + 1);
    }

    /**
     * SETRANGE: overwrites from {@code offset}, padding with zero bytes; returns the new length.
     * An empty {@code value} changes nothing (and creates no key).
     */
    public long setRange(byte[] key, long offset, byte[] value) {
        if (offset < 0) {
            throw new InvalidValueException("offset is out of range");
        }
        return db.mutate(m -> {
            byte[] v = db.stringValue(key);
            if (value.length == 0) {
                return v == null ? 0L : (long) v.length;
            }
            checkLength(offset + value.length);
            byte[] next = v == null ? new byte[0] : v;
            if (next.length < offset + value.length) {
                next = Arrays.copyOf(next, (int) (offset + value.length));
            } else {
                next = next.clone();
            }
            System.arraycopy(value, 0, next, (int) offset, value.length);
            db.putString(m, key, next, db.expiryOf(key));
            return (long) next.length;
        });
    }

    // ------------------------------------------------------------------ bitmaps

    private static void checkBitOffset(long offset, int bits) {
        if (offset < 0 || offset + bits > MAX_LENGTH * 8) {
            throw new InvalidValueException("bit offset is not an integer or out of range");
        }
    }

    /** SETBIT: sets the bit at {@code offset} to {@code bit} (0 or 1), growing the string; returns the bit before. */
    public int setBit(byte[] key, long offset, int bit) {
        if (bit != 0 && bit != 1) {
            throw new InvalidValueException("bit is not an integer or out of range");
        }
        checkBitOffset(offset, 1);
        return db.mutate(m -> {
            byte[] v = db.stringValue(key);
            byte[] next = grow(v, (offset >> 3) + 1);
            int before = bitAt(next, offset);
            if (before != bit || v == null || next.length != v.length) {
                int mask = 0x80 >>> (int) (offset & 7);
                next[(int) (offset >> 3)] = (byte) (bit == 1 ? next[(int) (offset >> 3)] | mask
                        : next[(int) (offset >> 3)] & ~mask);
                db.putString(m, key, next, db.expiryOf(key));
            }
            return before;
        });
    }

    /** The string padded with zero bytes to at least {@code length} bytes, as a copy. */
    private static byte[] grow(byte[] v, long length) {
        if (v == null) {
            return new byte[(int) length];
        }
        return v.length >= length ? v.clone() : Arrays.copyOf(v, (int) length);
    }

    private static int bitAt(byte[] v, long offset) {
        long i = offset >> 3;
        return i >= v.length ? 0 : (v[(int) i] >> (7 - (int) (offset & 7))) & 1;
    }

    /** GETBIT: the bit at {@code offset}, 0 past the end. */
    public int getBit(byte[] key, long offset) {
        checkBitOffset(offset, 1);
        byte[] v = db.get(key);
        return v == null ? 0 : bitAt(v, offset);
    }

    /** BITCOUNT of the whole string. */
    public long bitCount(byte[] key) {
        byte[] v = db.get(key);
        long n = 0;
        if (v != null) {
            for (byte b : v) {
                n += Integer.bitCount(b & 0xFF);
            }
        }
        return n;
    }

    /**
     * BITCOUNT with a range: bytes (or, if {@code bitUnits}, bits) {@code start} to {@code end}
     * inclusive, negative from the end, clamped as Redis does.
     */
    public long bitCount(byte[] key, long start, long end, boolean bitUnits) {
        byte[] v = db.get(key);
        if (v == null) {
            return 0;
        }
        long[] r = bitRange(v.length, start, end, bitUnits);
        if (r == null) {
            return 0;
        }
        long n = 0;
        for (long bit = r[0]; bit <= r[1]; ) {
            if ((bit & 7) == 0 && bit + 7 <= r[1]) {
                n += Integer.bitCount(v[(int) (bit >> 3)] & 0xFF);
                bit += 8;
            } else {
                n += bitAt(v, bit);
                bit++;
            }
        }
        return n;
    }

    /** The bit interval [first, last] a BITCOUNT / BITPOS range covers, or null if empty. */
    private static long[] bitRange(long byteLength, long start, long end, boolean bitUnits) {
        long total = bitUnits ? byteLength * 8 : byteLength;
        if (start < 0) {
            start = total + start;
        }
        if (end < 0) {
            end = total + end;
        }
        start = Math.max(0, start);
        end = Math.max(0, end);
        end = Math.min(end, total - 1);
        if (start > end || total == 0) {
            return null;
        }
        return bitUnits ? new long[] {start, end} : new long[] {start * 8, end * 8 + 7};
    }

    /**
     * BITPOS: the first bit equal to {@code bit} in the range ({@code start} / {@code end} null:
     * the whole string), or -1. Looking for 0 without an explicit end, a string of ones is taken
     * as padded with zeros on the right, so the answer is the bit just after it (Redis's rule).
     */
    public long bitPos(byte[] key, int bit, Long start, Long end, boolean bitUnits) {
        if (bit != 0 && bit != 1) {
            throw new InvalidValueException("The bit argument must be 1 or 0.");
        }
        byte[] v = db.get(key);
        if (v == null) {
            return bit == 1 ? -1 : 0;
        }
        long[] r = bitRange(v.length, start == null ? 0 : start, end == null ? -1 : end, bitUnits);
        if (r == null) {
            return -1;
        }
        int skip = bit == 1 ? 0x00 : 0xFF; // a whole byte of these holds no match
        for (long b = r[0]; b <= r[1]; ) {
            if ((b & 7) == 0 && b + 7 <= r[1] && (v[(int) (b >> 3)] & 0xFF) == skip) {
                b += 8;
                continue;
            }
            if (bitAt(v, b) == bit) {
                return b;
            }
            b++;
        }
        return bit == 0 && end == null ? r[1] + 1 : -1;
    }

    /** BITOP's operations. */
    public enum BitOperation { AND, OR, XOR, NOT }

    /**
     * BITOP: stores the bitwise combination of the sources (missing ones are empty, shorter ones
     * zero-padded) in {@code destination}, replacing what it held; an empty result deletes it.
     * NOT takes exactly one source. Returns the result's length.
     */
    public long bitOp(BitOperation op, byte[] destination, List<byte[]> sources) {
        if (sources.isEmpty() || (op == BitOperation.NOT && sources.size() != 1)) {
            throw new IllegalArgumentException("BITOP NOT must be called with a single source key.");
        }
        return db.mutate(m -> {
            List<byte[]> values = new ArrayList<>();
            int max = 0;
            for (byte[] k : sources) {
                byte[] v = db.stringValue(k);
                values.add(v == null ? new byte[0] : v);
                max = Math.max(max, values.getLast().length);
            }
            byte[] out = new byte[max];
            for (int i = 0; i < max; i++) {
                int acc = byteAt(values.get(0), i);
                for (int s = 1; s < values.size(); s++) {
                    int b = byteAt(values.get(s), i);
                    acc = switch (op) {
                        case AND -> acc & b;
                        case OR -> acc | b;
                        case XOR -> acc ^ b;
                        case NOT -> acc;
                    };
                }
                out[i] = (byte) (op == BitOperation.NOT ? ~acc : acc);
            }
            if (max == 0) {
                if (db.type(destination) != null) {
                    db.deleteKey(m, destination);
                }
            } else {
                db.putString(m, destination, out, 0);
            }
            return (long) max;
        });
    }

    private static int byteAt(byte[] v, int i) {
        return i < v.length ? v[i] & 0xFF : 0;
    }

    // ------------------------------------------------------------------ BITFIELD

    /** What BITFIELD does when a SET or INCRBY leaves the field's range. */
    public enum Overflow { WRAP, SAT, FAIL }

    /** A BITFIELD field: signed or unsigned, 1 to 64 bits (unsigned: up to 63), at a bit offset. */
    public record Field(boolean signed, int bits, long offset) {
        public Field {
            if (bits < 1 || bits > (signed ? 64 : 63)) {
                throw new InvalidValueException(
                        "Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
            }
            checkBitOffset(offset, bits);
        }
    }

    /** One BITFIELD sub-command. */
    public sealed interface BitFieldOp permits Get, Set, IncrBy {}

    /** GET: the field's value. */
    public record Get(Field field) implements BitFieldOp {}

    /** SET: writes {@code value}; the result is the value before. */
    public record Set(Field field, long value, Overflow overflow) implements BitFieldOp {}

    /** INCRBY: adds {@code increment}; the result is the value after. */
    public record IncrBy(Field field, long increment, Overflow overflow) implements BitFieldOp {}

    /**
     * BITFIELD (and BITFIELD_RO when every op is a {@link Get}): runs the ops in order on one
     * value, atomically; one result per op, null where FAIL refused an overflow (that op changes
     * nothing).
     */
    public List<Long> bitField(byte[] key, List<BitFieldOp> ops) {
        boolean readOnly = ops.stream().allMatch(op -> op instanceof Get);
        if (readOnly) {
            byte[] v = db.get(key);
            List<Long> out = new ArrayList<>();
            for (BitFieldOp op : ops) {
                out.add(read(v == null ? new byte[0] : v, ((Get) op).field()));
            }
            return out;
        }
        return db.mutate(m -> {
            byte[] v = db.stringValue(key);
            byte[] cur = v == null ? new byte[0] : v.clone();
            // As Redis: the string first grows to cover the highest field written, even if every
            // write then fails its OVERFLOW FAIL check.
            long highestBit = 0;
            for (BitFieldOp op : ops) {
                Field f = switch (op) {
                    case Get g -> null;
                    case Set s -> s.field();
                    case IncrBy i -> i.field();
                };
                if (f != null) {
                    highestBit = Math.max(highestBit, f.offset() + f.bits());
                }
            }
            int needed = (int) ((highestBit + 7) / 8);
            boolean changed = v == null || needed > cur.length;
            if (needed > cur.length) {
                cur = java.util.Arrays.copyOf(cur, needed);
            }
            List<Long> out = new ArrayList<>();
            for (BitFieldOp op : ops) {
                switch (op) {
                    case Get g -> out.add(read(cur, g.field()));
                    case Set s -> {
                        long before = read(cur, s.field());
                        Long fitted = fit(s.field(), s.value(), 0, s.overflow(), true);
                        if (fitted == null) {
                            out.add(null);
                        } else {
                            cur = write(cur, s.field(), fitted);
                            changed = true;
                            out.add(before);
                        }
                    }
                    case IncrBy i -> {
                        long before = read(cur, i.field());
                        Long after = fit(i.field(), before, i.increment(), i.overflow(), false);
                        if (after == null) {
                            out.add(null);
                        } else {
                            cur = write(cur, i.field(), after);
                            changed = true;
                            out.add(after);
                        }
                    }
                }
            }
            if (changed) {
                db.putString(m, key, cur, db.expiryOf(key));
            }
            return out;
        });
    }

    private static long read(byte[] v, Field f) {
        long value = 0;
        for (int i = 0; i < f.bits(); i++) {
            value = (value << 1) | bitAt(v, f.offset() + i);
        }
        if (f.signed() && f.bits() < 64 && ((value >>> (f.bits() - 1)) & 1) == 1) {
            value |= -1L << f.bits(); // sign-extend
        }
        return value;
    }

    private static byte[] write(byte[] v, Field f, long value) {
        byte[] out = grow(v, (f.offset() + f.bits() + 7) >> 3);
        for (int i = 0; i < f.bits(); i++) {
            long bit = (value >>> (f.bits() - 1 - i)) & 1;
            long at = f.offset() + i;
            int mask = 0x80 >>> (int) (at & 7);
            int idx = (int) (at >> 3);
            out[idx] = (byte) (bit == 1 ? out[idx] | mask : out[idx] & ~mask);
        }
        return out;
    }

    /**
     * The field's value after adding {@code increment} to {@code value} (a SET passes its value
     * and 0), under {@code overflow}; null if FAIL refuses. Redis's overflow rules: WRAP keeps
     * the low bits (sign-extended when signed), SAT clamps to the range.
     */
    private static Long fit(Field f, long value, long increment, Overflow overflow, boolean set) {
        int bits = f.bits();
        if (f.signed()) {
            long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
            long min = -max - 1;
            long sum = value + increment;
            boolean overflowUp = set ? value > max : (increment > 0 && (sum < value || sum > max));
            boolean overflowDown = set ? value < min : (increment < 0 && (sum > value || sum < min));
            if (!overflowUp && !overflowDown) {
                return sum;
            }
            return switch (overflow) {
                case FAIL -> null;
                case SAT -> overflowUp ? max : min;
                case WRAP -> {
                    if (bits == 64) {
                        yield sum;
                    }
                    long mask = (1L << bits) - 1;
                    long c = sum & mask;
                    yield (c & (1L << (bits - 1))) != 0 ? c | ~mask : c;
                }
            };
        }
        long max = (1L << bits) - 1;
        // value is in [0, max] (or, for SET, any long, read as unsigned as Redis does)
        boolean overflowUp;
        boolean overflowDown;
        if (set) {
            overflowUp = value < 0 || value > max;
            overflowDown = false;
        } else {
            overflowUp = increment > 0 && increment > max - value;
            overflowDown = increment < 0 && -increment > value; // -MIN overflows, and is > value anyway
            if (increment == Long.MIN_VALUE) {
                overflowDown = true;
            }
        }
        if (!overflowUp && !overflowDown) {
            return value + increment;
        }
        return switch (overflow) {
            case FAIL -> null;
            case SAT -> overflowUp ? max : 0L;
            case WRAP -> (value + increment) & max;
        };
    }
}
