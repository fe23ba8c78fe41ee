package io.couloy.engine.types;

import io.couloy.engine.InvalidValueException;
import java.util.Arrays;

/**
 * Redis's HyperLogLog, byte for byte: the same hash (MurmurHash64A, seed 0xadc83b19), 16,384
 * six-bit registers, the same estimator (Ertl's improved raw estimator, as Redis 5+ uses), so a
 * count here equals Redis's for the same elements, with a standard error of 0.81%; and the same
 * string layout, so a value copied between Redis and CouloyDB (GET/SET, DUMP/RESTORE) still works.
 *
 * <pre>
 * header  +--------+----------+-----------+----------------------------------+
 *         | "HYLL" | encoding | 3 unused  | cached cardinality, u64 LE;      |
 *         |        | 0 dense, |           | top bit of byte 15 set = stale   |
 *         |        | 1 sparse |           |                                  |
 *         +--------+----------+-----------+----------------------------------+
 * dense   16,384 registers x 6 bits, register i at bit 6i, least significant bit first
 * sparse  opcodes: 00xxxxxx ZERO run of x+1; 01xxxxxx yyyyyyyy XZERO run of (x&lt;&lt;8|y)+1;
 *         1vvvvvxx VAL run of x+1 registers of value v+1
 * </pre>
 *
 * CouloyDB reads both encodings and writes sparse while it stays under Redis's default
 * {@code hll-sparse-max-bytes} (3,000) and no register passes 32, dense (12,304 bytes) after,
 * as Redis does. It does not store the cached cardinality, which readers recompute, as Redis
 * does when the cache is stale. Values live on disk, not in memory.
 */
public final class HyperLogLog {
    static final int P = 14;
    static final int REGISTERS = 1 << P;
    static final int Q = 64 - P;
    private static final int BITS = 6;
    private static final int MAX = (1 << BITS) - 1;
    static final int HEADER = 16;
    public static final int DENSE_SIZE = HEADER + (REGISTERS * BITS + 7) / 8;
    private static final double ALPHA_INF = 0.721347520444481703680;
    private static final String NOT_HLL = "Key is not a valid HyperLogLog string value.";

    private final byte[] registers = new byte[REGISTERS]; // one byte per register while in memory

    private HyperLogLog() {}

    /** An empty HyperLogLog. */
    public static HyperLogLog empty() {
        return new HyperLogLog();
    }

    /**
     * Parses a stored value.
     *
     * @throws InvalidValueException if it is not a HyperLogLog (Redis replies WRONGTYPE with this text)
     *     or a corrupt one ("INVALIDOBJ Corrupted HLL object detected")
     */
    public static HyperLogLog parse(byte[] v) {
        if (v.length < HEADER || v[0] != 'H' || v[1] != 'Y' || v[2] != 'L' || v[3] != 'L' || (v[4] != 0 && v[4] != 1)) {
            throw new InvalidValueException(NOT_HLL);
        }
        HyperLogLog h = new HyperLogLog();
        if (v[4] == 0) {
            if (v.length != DENSE_SIZE) {
                throw new InvalidValueException(NOT_HLL);
            }
            for (int i = 0; i < REGISTERS; i++) {
                h.registers[i] = (byte) denseGet(v, i);
            }
            return h;
        }
        int reg = 0;
        int p = HEADER;
        while (p < v.length) {
            int op = v[p] & 0xFF;
            int run;
            int value = 0;
            if ((op & 0xC0) == 0) { // ZERO
                run = (op & 0x3F) + 1;
                p++;
            } else if ((op & 0xC0) == 0x40) { // XZERO
                if (p + 1 >= v.length) {
                    throw corrupt();
                }
                run = (((op & 0x3F) << 8) | (v[p + 1] & 0xFF)) + 1;
                p += 2;
            } else { // VAL
                value = ((op >> 2) & 0x1F) + 1;
                run = (op & 0x03) + 1;
                p++;
            }
            if (reg + run > REGISTERS) {
                throw corrupt();
            }
            if (value != 0) {
                Arrays.fill(h.registers, reg, reg + run, (byte) value);
            }
            reg += run;
        }
        if (reg != REGISTERS) {
            throw corrupt();
        }
        return h;
    }

    private static InvalidValueException corrupt() {
        return new InvalidValueException("INVALIDOBJ Corrupted HLL object detected");
    }

    private static int denseGet(byte[] v, int reg) {
        int bit = reg * BITS;
        int b = HEADER + bit / 8;
        int fb = bit & 7;
        int b0 = v[b] & 0xFF;
        int b1 = b + 1 < v.length ? v[b + 1] & 0xFF : 0;
        return ((b0 >> fb) | (b1 << (8 - fb))) & MAX;
    }

    /** Adds an element; returns whether a register changed (PFADD's answer, with key creation). */
    public boolean add(byte[] element) {
        long hash = murmurHash64A(element, 0xadc83b19L);
        int index = (int) (hash & (REGISTERS - 1));
        hash >>>= P;
        hash |= 1L << Q;
        int count = Long.numberOfTrailingZeros(hash) + 1;
        if (count > registers[index]) {
            registers[index] = (byte) count;
            return true;
        }
        return false;
    }

    /** Takes, register by register, the larger of this and {@code other} (PFMERGE, multi-key PFCOUNT). */
    public void merge(HyperLogLog other) {
        for (int i = 0; i < REGISTERS; i++) {
            if (other.registers[i] > registers[i]) {
                registers[i] = other.registers[i];
            }
        }
    }

    /** The cardinality estimate, as Redis's hllCount computes it. */
    public long count() {
        int[] histogram = new int[64];
        for (byte r : registers) {
            histogram[r]++;
        }
        double m = REGISTERS;
        double z = m * tau((m - histogram[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    private static double tau(double x) {
        if (x == 0. || x == 1.) {
            return 0.;
        }
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            z -= Math.pow(1 - x, 2) * y;
        } while (zPrime != z);
        return z / 3;
    }

    private static double sigma(double x) {
        if (x == 1.) {
            return Double.POSITIVE_INFINITY;
        }
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    /** Largest sparse encoding written before switching to dense (Redis's hll-sparse-max-bytes default). */
    static final int SPARSE_MAX_BYTES = 3000;

    /** The encoding Redis would choose: sparse while small, else dense. */
    public byte[] toBytes() {
        byte[] sparse = toSparse();
        return sparse != null ? sparse : toDense();
    }

    /** The sparse encoding, or null if a register passes 32 or it would exceed {@link #SPARSE_MAX_BYTES}. */
    byte[] toSparse() {
        byte[] out = new byte[SPARSE_MAX_BYTES];
        header(out, 1);
        int p = HEADER;
        for (int i = 0; i < REGISTERS; ) {
            int v = registers[i];
            if (v > 32) {
                return null;
            }
            int run = 1;
            while (i + run < REGISTERS && registers[i + run] == v) {
                run++;
            }
            i += run;
            while (run > 0) {
                if (p + 2 > out.length) {
                    return null;
                }
                if (v == 0 && run > 64) {
                    int len = Math.min(run, REGISTERS) - 1;
                    out[p++] = (byte) (0x40 | (len >> 8));
                    out[p++] = (byte) len;
                    run -= len + 1;
                } else if (v == 0) {
                    out[p++] = (byte) (run - 1);
                    run = 0;
                } else {
                    int len = Math.min(run, 4);
                    out[p++] = (byte) (0x80 | ((v - 1) << 2) | (len - 1));
                    run -= len;
                }
            }
        }
        return Arrays.copyOf(out, p);
    }

    private static void header(byte[] v, int encoding) {
        v[0] = 'H';
        v[1] = 'Y';
        v[2] = 'L';
        v[3] = 'L';
        v[4] = (byte) encoding;
        v[15] = (byte) 0x80; // cached cardinality stale: readers compute the count
    }

    /** The dense encoding, cached cardinality marked stale. */
    public byte[] toDense() {
        byte[] v = new byte[DENSE_SIZE];
        header(v, 0);
        for (int reg = 0; reg < REGISTERS; reg++) {
            int val = registers[reg];
            int bit = reg * BITS;
            int b = HEADER + bit / 8;
            int fb = bit & 7;
            v[b] = (byte) ((v[b] & ~(MAX << fb)) | (val << fb));
            if (b + 1 < v.length) {
                int fb8 = 8 - fb;
                v[b + 1] = (byte) ((v[b + 1] & ~(MAX >> fb8)) | (val >> fb8));
            }
        }
        return v;
    }

    /** Austin Appleby's MurmurHash64A, as Redis's hyperloglog.c has it (little-endian reads). */
    static long murmurHash64A(byte[] key, long seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int len = key.length;
        long h = seed ^ (len * m);
        int end = len - (len & 7);
        for (int i = 0; i < end; i += 8) {
            long k = io.couloy.engine.format.LittleEndian.getLong(key, i);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        switch (len & 7) {
            case 7: h ^= (long) (key[end + 6] & 0xFF) << 48; // fall through
            case 6: h ^= (long) (key[end + 5] & 0xFF) << 40; // fall through
            case 5: h ^= (long) (key[end + 4] & 0xFF) << 32; // fall through
            case 4: h ^= (long) (key[end + 3] & 0xFF) << 24; // fall through
            case 3: h ^= (long) (key[end + 2] & 0xFF) << 16; // fall through
            case 2: h ^= (long) (key[end + 1] & 0xFF) << 8; // fall through
            case 1:
                h ^= key[end] & 0xFF;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }
}
