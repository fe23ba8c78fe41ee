package io.couloy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeysTest {
    @Test
    void keys_areSixteenBytesAndMatchTheDocumentedFormat() {
        for (long i : new long[] {0, 7, 123_456, 9_999_999_999_999L}) {
            assertThat(new String(Keys.present(i), StandardCharsets.US_ASCII)).isEqualTo(String.format("key%013d", i));
            assertThat(new String(Keys.absent(i), StandardCharsets.US_ASCII)).isEqualTo(String.format("abs%013d", i));
        }
    }
}
