package io.couloy.engine.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class LivePlacesTest {
    /** The radix sort orders places as a comparison sort does, each datum staying with its place. */
    @Property(tries = 200)
    void sortByPlace_ordersPlacesAndCarriesTheirData(
            @ForAll @Size(max = 3000) List<@LongRange(min = 0, max = (1L << 44) - 1) Long> raw,
            @ForAll boolean smallValues) {
        long[] places = raw.stream().mapToLong(v -> smallValues ? v & 0x3FFFF : v).toArray();
        long[] data = Arrays.stream(places).map(p -> p * 31 + 7).toArray();
        long[][] expected = new long[places.length][];
        for (int i = 0; i < places.length; i++) {
            expected[i] = new long[] {places[i], data[i]};
        }
        Arrays.sort(expected, Comparator.comparingLong(e -> e[0]));
        LivePlaces.sortByPlace(places, data, places.length);
        for (int i = 0; i < places.length; i++) {
            assertThat(places[i]).isEqualTo(expected[i][0]);
            assertThat(data[i]).isEqualTo(expected[i][1]);
        }
    }
}
