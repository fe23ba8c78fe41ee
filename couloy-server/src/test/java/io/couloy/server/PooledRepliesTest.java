package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.net.CouloyServer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZRANGE's reply is encoded into a pooled buffer (Reply.EncodedBulks), which whoever ends its
 * life must release: the connection once it is sent (whole from 16 KB, copied below), or
 * CLIENT REPLY OFF's path that drops it. A buffer not released stays allocated, so each path is
 * run thousands of times and the pooled allocator's memory must stay flat — where a leak would
 * grow it by every reply's size (100 KB or 15 KB here).
 */
class PooledRepliesTest {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void rangeReplies_releaseTheirBuffers_onEveryPath() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); RawClient c = new RawClient(server.port())) {
            List<String> zadd = new ArrayList<>(List.of("ZADD", "big"));
            for (int i = 0; i < 100; i++) {
                zadd.add(Integer.toString(i));
                zadd.add(("m" + i + "-").repeat(250));
            }
            assertThat(c.call(zadd.toArray(String[]::new))).isEqualTo(":100\r\n");
            byte[] large = RawClient.command("ZRANGE", "big", "0", "99"); // ~100 KB: sent whole
            byte[] small = RawClient.command("ZRANGE", "big", "0", "14"); // ~15 KB: copied on
            Round[] paths = {
                () -> {
                    c.send(large);
                    assertThat(c.reply()).startsWith("*100\r\n$").endsWith("m99-\r\n");
                },
                () -> {
                    c.send(small);
                    assertThat(c.reply()).startsWith("*15\r\n$").endsWith("m14-\r\n");
                },
                () -> { // dropped unsent
                    c.send(RawClient.command("CLIENT", "REPLY", "OFF"));
                    c.send(large);
                    c.send(RawClient.command("CLIENT", "REPLY", "ON"));
                    assertThat(c.reply()).isEqualTo("+OK\r\n");
                },
            };
            String[] names = {"sent whole", "copied", "dropped"};
            for (int p = 0; p < paths.length; p++) {
                run(paths[p], 200); // the allocator's caches and chunks grow once
                long before = pooledBytes();
                run(paths[p], 2000);
                // Leaking, 2000 replies would hold 30 MB (copied) to 200 MB.
                assertThat(pooledBytes() - before).as("pooled bytes grown by 2000 replies %s", names[p]).isLessThan(8L << 20);
            }
        }
    }

    private interface Round {
        void once() throws IOException;
    }

    private static void run(Round path, int times) throws IOException {
        for (int i = 0; i < times; i++) {
            path.once();
        }
    }

    private static long pooledBytes() {
        var metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        return metric.usedDirectMemory() + metric.usedHeapMemory();
    }
}
