package io.couloy.engine.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
    @Property(tries = 300)
    void encodeThenRead_roundTrips_andEveryPrefixIsTruncated(
            @ForAll @Size(min = 1, max = 300) byte[] key, @ForAll @Size(max = 600) byte[] value,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long expiry) {
        byte[] rec = RecordCodec.encode(RecordType.PUT, expiry, key, value);
        assertThat(rec).hasSize(RecordCodec.size(expiry, key.length, value.length));
        RecordCodec.Header h = RecordCodec.readHeader(rec, 0, rec.length);
        assertThat(h.valid()).isTrue();
        assertThat(h.recordSize()).isEqualTo(rec.length);
        assertThat(h.expiry()).isEqualTo(expiry);
        assertThat(RecordCodec.checksumMatches(rec, 0, h)).isTrue();
        assertThat(Arrays.copyOfRange(rec, h.keyOffset(), h.keyOffset() + h.keyLength())).isEqualTo(key);
        assertThat(Arrays.copyOfRange(rec, h.valueOffset(), rec.length)).isEqualTo(value);
        // Fed a byte at a time, the header either waits for more bytes or is complete; never invalid.
        for (int len = 0; len < h.headerSize(); len++) {
            assertThat(RecordCodec.readHeader(rec, 0, len)).isEqualTo(RecordCodec.Header.TRUNCATED);
        }
    }

    @Property(tries = 300)
    void anySingleFlippedBit_isDetected(@ForAll @Size(min = 1, max = 50) byte[] key,
            @ForAll @Size(max = 100) byte[] value, @ForAll int position, @ForAll int bit) {
        byte[] rec = RecordCodec.encode(RecordType.PUT, 0, key, value);
        int at = Math.floorMod(position, rec.length);
        rec[at] ^= (byte) (1 << Math.floorMod(bit, 8));
        RecordCodec.Header h = RecordCodec.readHeader(rec, 0, rec.length);
        boolean accepted = h.valid() && h.recordSize() == rec.length && RecordCodec.checksumMatches(rec, 0, h);
        assertThat(accepted).isFalse();
    }

    @Test
    void zeroBytes_areNeverARecord() {
        assertThat(RecordCodec.readHeader(new byte[64], 0, 64)).isEqualTo(RecordCodec.Header.INVALID);
    }

    @Test
    void overlongVarint_isInvalid() {
        byte[] rec = new byte[40];
        rec[4] = RecordType.PUT.code;
        Arrays.fill(rec, 5, 20, (byte) 0x80);
        assertThat(RecordCodec.readHeader(rec, 0, rec.length)).isEqualTo(RecordCodec.Header.INVALID);
    }

    @Property(tries = 200)
    void varint_roundTrips(@ForAll long value) {
        byte[] buf = new byte[Varint.MAX_LONG_BYTES];
        int end = Varint.write(buf, 0, value);
        assertThat(end).isEqualTo(Varint.size(value));
        int[] len = new int[1];
        assertThat(Varint.read(buf, 0, end, Varint.MAX_LONG_BYTES, len)).isEqualTo(value);
        assertThat(len[0]).isEqualTo(end);
    }
    /**
     * The one-pass check of list ranges agrees with the header read and checksum it replaces, on
     * records of every type and expiry, intact or with a byte changed anywhere, asked for the
     * right key or another.
     */
    @Property(tries = 1000)
    void valueOffsetIfMatches_agreesWithHeaderAndChecksum(@ForAll @Size(min = 1, max = 200) byte[] key,
            @ForAll @Size(max = 300) byte[] value, @ForAll long expiry, @ForAll RecordType type, @ForAll boolean member,
            @ForAll boolean damage, @ForAll int position, @ForAll byte mask, @ForAll boolean otherKey) {
        byte[] rec = RecordCodec.encode(type, expiry, key, value);
        if (damage) {
            rec[Math.floorMod(position, rec.length)] ^= mask;
        }
        byte[] asked = otherKey ? Arrays.copyOf(key, key.length + 1) : key;
        // The record sits inside a larger array, as in a run read of a data file.
        byte[] buf = new byte[rec.length + 20];
        System.arraycopy(rec, 0, buf, 7, rec.length);
        RecordCodec.Header h = RecordCodec.readHeader(rec, 0, rec.length);
        boolean expected = h.valid() && h.recordSize() == rec.length && (member ? h.type().isMemberPut() : h.type().isPut())
                && RecordCodec.checksumMatches(rec, 0, h)
                && Arrays.equals(rec, h.keyOffset(), h.keyOffset() + h.keyLength(), asked, 0, asked.length);
        int at = RecordCodec.valueOffsetIfMatches(buf, 7, rec.length, asked, member);
        assertThat(at >= 0).isEqualTo(expected);
        if (expected) {
            assertThat(at).isEqualTo(7 + h.valueOffset());
        }
    }
}
