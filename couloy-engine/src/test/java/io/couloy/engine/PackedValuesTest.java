package io.couloy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedValuesTest {
    /** Values copied in and values left where a run was read keep their bytes as the arrays grow and new ones start. */
    @Test
    void valuesSurviveGrowthAndNewArrays() {
        Random random = new Random(3);
        PackedValues packed = new PackedValues(1, 16);
        List<byte[]> model = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            byte[] v = new byte[random.nextInt(3) == 0 ? random.nextInt(300_000) : random.nextInt(40)];
            random.nextBytes(v);
            if (random.nextBoolean()) {
                packed.add(v);
            } else { // as a run is read: room first, then the bytes, then the value named in place
                int at = packed.reserve(v.length + 5);
                System.arraycopy(v, 0, packed.current(), at + 5, v.length);
                packed.add(packed.currentChunk(), at + 5, v.length);
            }
            model.add(v);
        }
        assertThat(packed.count()).isEqualTo(400);
        assertThat(packed.toList()).containsExactlyElementsOf(model);
        for (int i = 0; i < 400; i++) {
            assertThat(packed.array(i).length).isLessThanOrEqualTo(Math.max(1 << 20, packed.length(i) + 5));
        }
    }
}
