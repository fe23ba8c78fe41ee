package io.couloy.server.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.couloy.engine.Hashes;
import io.couloy.engine.ZSets;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DumpPayloadTest {
    @Test
    void crc64_isRedisJones() {
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc64.of(b, 0, b.length)).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void everyType_roundTrips() {
        List<StoredValue> values = List.of(new StoredValue.Str(bytes("12")), new StoredValue.Str(new byte[300]),
                new StoredValue.ListValue(List.of(bytes("a"), bytes("-70000"), new byte[20_000])),
                new StoredValue.SetValue(List.of(bytes("x"), bytes("y"))),
                new StoredValue.HashValue(List.of(new Hashes.FieldValue(bytes("f"), bytes("v")))),
                new StoredValue.ZSetValue(List.of(new ZSets.Entry(bytes("m"), Double.NEGATIVE_INFINITY),
                        new ZSets.Entry(bytes("n"), 2.5))));
        for (StoredValue v : values) {
            StoredValue expected = v instanceof StoredValue.ZSetValue z
                    ? new StoredValue.ZSetValue(z.entries().reversed()) // written highest first, as Redis writes them
                    : v;
            assertThat(DumpPayload.decode(DumpPayload.encode(v))).usingRecursiveComparison().isEqualTo(expected);
        }
    }

    /** Mutated payloads whose checksum is made right again: a value or Redis's refusal, never anything else. */
    @Test
    void mutatedPayloadsWithValidChecksums_decodeOrAreRefused() {
        Random random = new Random(7);
        List<byte[]> seeds = List.of(
                DumpPayload.encode(new StoredValue.HashValue(List.of(new Hashes.FieldValue(bytes("f"), bytes("v"))))),
                DumpPayload.encode(new StoredValue.ZSetValue(List.of(new ZSets.Entry(bytes("m"), 1)))),
                DumpPayload.encode(new StoredValue.ListValue(List.of(bytes("a"), bytes("b")))),
                listPackHash());
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] p = seeds.get(random.nextInt(seeds.size())).clone();
            int body = p.length - 10;
            for (int m = 1 + random.nextInt(3); m > 0; m--) {
                p[random.nextInt(body)] = (byte) random.nextInt(256);
            }
            long crc = Crc64.of(p, 0, body + 2);
            for (int k = 0; k < 8; k++) {
                p[body + 2 + k] = (byte) (crc >>> (8 * k));
            }
            try {
                DumpPayload.decode(p);
            } catch (DumpPayload.BadPayloadException e) {
                assertThat(e.getMessage()).isEqualTo("ERR Bad data format");
                refused++;
            }
        }
        assertThat(refused).as("most mutations break the format").isGreaterThan(1000);
    }

    @Test
    void wrongChecksumOrNewerVersion_isRefusedAsRedisDoes() {
        byte[] p = DumpPayload.encode(new StoredValue.Str(bytes("v")));
        p[p.length - 1] ^= 1;
        assertThatThrownBy(() -> DumpPayload.decode(p)).hasMessage("ERR DUMP payload version or checksum are wrong");
        assertThatThrownBy(() -> DumpPayload.decode(new byte[3])).hasMessage("ERR DUMP payload version or checksum are wrong");
    }

    /** A HASH_LISTPACK payload as Redis 7 writes one for {f: v, n: 12}. */
    private static byte[] listPackHash() {
        byte[] lp = {
            18, 0, 0, 0, 4, 0,
            (byte) 0x81, 'f', 2, (byte) 0x81, 'v', 2, (byte) 0x81, 'n', 2, 12, 1,
            (byte) 0xff};
        byte[] p = new byte[1 + 1 + lp.length + 10];
        p[0] = (byte) DumpPayload.TYPE_HASH_LISTPACK;
        p[1] = (byte) lp.length;
        System.arraycopy(lp, 0, p, 2, lp.length);
        p[2 + lp.length] = 10;
        long crc = Crc64.of(p, 0, p.length - 8);
        for (int k = 0; k < 8; k++) {
            p[p.length - 8 + k] = (byte) (crc >>> (8 * k));
        }
        assertThat(DumpPayload.decode(p)).usingRecursiveComparison().isEqualTo(new StoredValue.HashValue(
                List.of(new Hashes.FieldValue(bytes("f"), bytes("v")), new Hashes.FieldValue(bytes("n"), bytes("12")))));
        return p;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
