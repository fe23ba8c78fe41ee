package io.couloy.engine.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class HintCodecTest {
    private static byte[] hint(int entries) {
        byte[] buf = new byte[4096];
        HintCodec.writeHeader(buf);
        int pos = HintCodec.HEADER_SIZE;
        for (int i = 0; i < entries; i++) {
            // Every other entry is a COLLECTION, whose entries carry the record's value.
            RecordType type = i % 2 == 0 ? RecordType.PUT : RecordType.COLLECTION;
            byte[] value = new CollectionHeader(i, 1000L * i).encode();
            pos = HintCodec.writeEntry(buf, pos, type, i, i * 100L, 50 + i, ("key" + i).getBytes(StandardCharsets.UTF_8), value);
        }
        CRC32C crc = new CRC32C();
        crc.update(buf, 0, pos);
        HintCodec.writeFooter(buf, pos, entries, crc);
        return Arrays.copyOf(buf, pos + HintCodec.FOOTER_SIZE);
    }

    @Test
    void intactHint_visitsEveryEntryInOrder() {
        List<String> seen = new ArrayList<>();
        String problem = HintCodec.parse(hint(5), (type, expiry, offset, size, key, value) ->
                seen.add(type + " " + new String(key, StandardCharsets.UTF_8) + "@" + offset + "/" + size + "/" + expiry
                        + (value == null ? "" : " " + CollectionHeader.decode(value))));
        assertThat(problem).isNull();
        assertThat(seen).containsExactly("PUT key0@0/50/0", "COLLECTION key1@100/51/1 CollectionHeader[kind=1, id=1000]",
                "PUT key2@200/52/2", "COLLECTION key3@300/53/3 CollectionHeader[kind=3, id=3000]", "PUT key4@400/54/4");
    }

    @Test
    void damagedOrTruncatedHint_visitsNothing() {
        byte[] good = hint(5);
        for (int cut = 0; cut < good.length; cut++) {
            List<byte[]> seen = new ArrayList<>();
            assertThat(HintCodec.parse(Arrays.copyOf(good, cut), (t, e, o, s, k, v) -> seen.add(k))).isNotNull();
            assertThat(seen).isEmpty();
        }
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            List<byte[]> seen = new ArrayList<>();
            assertThat(HintCodec.parse(bad, (t, e, o, s, k, v) -> seen.add(k))).as("flip at %d", i).isNotNull();
            assertThat(seen).isEmpty();
        }
    }
}
