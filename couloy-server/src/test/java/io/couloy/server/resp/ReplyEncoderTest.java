package io.couloy.server.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The encoder writes numbers digit by digit: the bytes must be those of the decimal text. */
class ReplyEncoderTest {
    private static String encode(Reply r) {
        return encode(r, false);
    }

    private static String encode(Reply r, boolean resp3) {
        ByteBuf out = Unpooled.buffer(4); // small, so ensureWritable has to grow it
        try {
            ReplyEncoder.write(r, out, resp3);
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    @Property
    void integers_areTheirDecimalText(@ForAll long v) {
        assertThat(encode(new Reply.Int(v))).isEqualTo(":" + v + "\r\n");
    }

    @Property
    void edgeIntegers() {
        for (long v : new long[] {0, -1, 9, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1}) {
            assertThat(encode(new Reply.Int(v))).isEqualTo(":" + v + "\r\n");
        }
    }

    @Property(tries = 1)
    void smallIntegersFromTheTable_andOk() {
        for (long v = 0; v <= 2000; v++) {
            assertThat(encode(new Reply.Int(v))).isEqualTo(":" + v + "\r\n");
        }
        assertThat(encode(Reply.OK)).isEqualTo("+OK\r\n");
        assertThat(encode(new Reply.Simple("OK"))).isEqualTo("+OK\r\n");
    }

    @Property(tries = 100)
    void writtenBulks_areTheBulksOfTheirMembers_inBothProtocols_andReleasedOnceWritten(
            @ForAll List<@net.jqwik.api.constraints.StringLength(max = 2000) String> members, @ForAll boolean resp3) {
        BulksWriter w = new BulksWriter();
        w.expect(members.size());
        StringBuilder expected = new StringBuilder("*" + members.size() + "\r\n");
        for (String m : members) {
            byte[] b = ("<" + m + ">").getBytes(StandardCharsets.ISO_8859_1);
            w.member(b, 1, b.length - 2); // a member lent from the middle of a larger array
            expected.append('$').append(b.length - 2).append("\r\n").append(new String(b, 1, b.length - 2,
                    StandardCharsets.ISO_8859_1)).append("\r\n");
        }
        Reply r = w.reply();
        ByteBuf held = r instanceof Reply.EncodedBulks e ? e.items() : null;
        assertThat(encode(r, resp3)).isEqualTo(expected.toString());
        if (held != null) {
            assertThat(held.refCnt()).isZero();
        } else {
            assertThat(members).isEmpty();
        }
    }

    @Property(tries = 200)
    void bulksAndArrays_carryTheirLengths(@ForAll @IntRange(max = 5000) int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) 'x');
        assertThat(encode(new Reply.Bulk(b))).isEqualTo("$" + n + "\r\n" + "x".repeat(n) + "\r\n");
        List<Reply> items = Collections.nCopies(n, new Reply.Int(7));
        assertThat(encode(new Reply.Array(items))).isEqualTo("*" + n + "\r\n" + ":7\r\n".repeat(n));
    }

    @Property(tries = 100)
    void bulks_encodeAsAnArrayOfBulks(@ForAll List<@net.jqwik.api.constraints.StringLength(max = 40) String> items,
            @ForAll boolean withNull, @ForAll boolean resp3) {
        List<byte[]> bytes = new java.util.ArrayList<>();
        List<Reply> replies = new java.util.ArrayList<>();
        for (String item : items) {
            bytes.add(item.getBytes(StandardCharsets.UTF_8));
            replies.add(new Reply.Bulk(item.getBytes(StandardCharsets.UTF_8)));
        }
        if (withNull) {
            bytes.add(null);
            replies.add(Reply.NIL);
        }
        assertThat(encode(new Reply.Bulks(bytes), resp3)).isEqualTo(encode(new Reply.Array(replies), resp3));
    }
    /** LRANGE's packed reply is byte for byte the reply of the same values as separate bulks, small, large and empty. */
    @net.jqwik.api.Example
    void packedBulks_encodeAsBulks() throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("packed-bulks");
        java.util.Random random = new java.util.Random(11);
        try (var db = io.couloy.engine.CouloyDB.open(io.couloy.engine.Options.builder(dir).build())) {
            for (int list = 0; list < 40; list++) {
                byte[] key = ("list" + list).getBytes(StandardCharsets.US_ASCII);
                int n = random.nextInt(300);
                for (int i = 0; i < n; i++) {
                    byte[] v = new byte[random.nextInt(10) == 0 ? random.nextInt(90_000) : random.nextInt(1100)];
                    random.nextBytes(v);
                    db.lists().pushRight(key, List.of(v));
                }
                for (boolean resp3 : new boolean[] {false, true}) {
                    assertThat(encode(new Reply.PackedBulks(db.lists().rangePacked(key, 0, -1)), resp3))
                            .isEqualTo(encode(new Reply.Bulks(db.lists().range(key, 0, -1)), resp3));
                }
            }
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
