package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.net.CouloyServer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subscribers that never read are cut off once 32 MB wait for them (Redis's
 * client-output-buffer-limit pubsub), counting what waits in the server's queue as well as in the
 * socket's; the server and a subscriber that reads go on.
 */
class SlowSubscriberTest {
    @TempDir
    Path dir;

    @Test
    void subscribersThatNeverRead_areCutOff_othersGoOn() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); RawClient publisher = new RawClient(server.port(), 60_000);
                RawClient reader = new RawClient(server.port(), 60_000)) {
            List<RawClient> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    RawClient s = new RawClient(server.port(), 60_000);
                    s.call("SUBSCRIBE", "ch");
                    stalled.add(s);
                }
                reader.call("SUBSCRIBE", "ch");
                byte[] payload = new byte[64 * 1024];
                java.util.Arrays.fill(payload, (byte) 'x');
                ByteArrayOutputStream batch = new ByteArrayOutputStream();
                for (int i = 0; i < 16; i++) {
                    batch.writeBytes(RawClient.encode("PUBLISH".getBytes(), "ch".getBytes(), payload));
                }
                byte[] pipeline = batch.toByteArray();
                long until = System.nanoTime() + 60_000_000_000L;
                int subscribers = 11;
                for (int round = 0; round < 100 && subscribers > 1 && System.nanoTime() < until; round++) {
                    publisher.send(pipeline); // 1 MB a round: 48 rounds pass the limit of a subscriber that reads nothing
                    for (int i = 0; i < 16; i++) {
                        subscribers = Integer.parseInt(publisher.reply().trim().substring(1));
                    }
                    for (int i = 0; i < 16; i++) {
                        reader.reply(); // the reader keeps up
                    }
                }
                assertThat(subscribers).as("only the reader is left").isEqualTo(1);
                assertThat(publisher.call("PUBSUB", "NUMSUB", "ch")).isEqualTo("*2\r\n$2\r\nch\r\n:1\r\n");
                assertThat(publisher.call("PING")).isEqualTo("+PONG\r\n");
            } finally {
                for (RawClient s : stalled) {
                    s.close();
                }
            }
        }
    }
}
