package io.couloy.engine;

import io.couloy.engine.types.Collection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Random choice of members with Redis's count rules (HRANDFIELD, SRANDMEMBER, SPOP). */
final class RandomMembers {
    private RandomMembers() {}

    /**
     * {@code count} ≥ 0: up to {@code count} distinct members; negative: exactly |count|
     * members, possibly repeated. Cost is O(result) from random probes into the member index,
     * except when most of the collection is wanted, where it is one O(n) walk.
     */
    static List<byte[]> pick(Collection c, long count, RandomGenerator random) {
        List<byte[]> out = new ArrayList<>();
        long size = c.size();
        if (size == 0 || count == 0) {
            return out;
        }
        if (count < 0) {
            for (long i = 0; i < -count; i++) {
                byte[] m = c.members().randomKey(random);
                if (m == null) {
                    break; // emptied meanwhile
                }
                out.add(m);
            }
            return out;
        }
        if (count * 3 > size) {
            c.members().forEach((m, loc) -> out.add(m));
            Collections.shuffle(out, random);
            return count < out.size() ? new ArrayList<>(out.subList(0, (int) count)) : out;
        }
        Set<ByteKey> seen = new HashSet<>();
        while (out.size() < count) {
            byte[] m = c.members().randomKey(random);
            if (m == null) {
                break;
            }
            if (seen.add(new ByteKey(m))) {
                out.add(m);
            }
        }
        return out;
    }
}
