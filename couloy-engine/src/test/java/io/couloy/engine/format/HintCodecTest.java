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
            pos = HintCodec.writeEntry(buf, pos, RecordType.PUT, i, i * 100L, 50 + i, ("key" + i).getBytes(StandardCharsets.UTF_8));
        }
        CRC32C crc = new CRC32C();
        crc.update(buf, 0, pos);
        HintCodec.writeFooter(buf, pos, entries, crc);
        return Arrays.copyOf(buf, pos + HintCodec.FOOTER_SIZE);
    }

    @Test
    void intactHint_visitsEveryEntryInOrder() {
        List<String> seen = new ArrayList<>();
        String problem = HintCodec.parse(hint(5), (type, expiry, offset, size, key) ->
                seen.add(new String(key, StandardCharsets.UTF_8) + "@" + offset + "/" + size + "/" + expiry));
        assertThat(problem).isNull();
        assertThat(seen).containsExactly("key0@0/50/0", "key1@100/51/1", "key2@200/52/2", "key3@300/53/3", "key4@400/54/4");
    }

    @Test
    void damagedOrTruncatedHint_visitsNothing() {
        byte[] good = hint(5);
        for (int cut = 0; cut < good.length; cut++) {
            List<byte[]> seen = new ArrayList<>();
            assertThat(HintCodec.parse(Arrays.copyOf(good, cut), (t, e, o, s, k) -> seen.add(k))).isNotNull();
            assertThat(seen).isEmpty();
        }
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            List<byte[]> seen = new ArrayList<>();
            assertThat(HintCodec.parse(bad, (t, e, o, s, k) -> seen.add(k))).as("flip at %d", i).isNotNull();
            assertThat(seen).isEmpty();
        }
    }
}
