package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.net.CouloyServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/** Pub/sub through Jedis (RESP2) and Lettuce (RESP3 push messages). */
class PubSubTest {
    @TempDir
    Path dir;

    @Test
    void jedisSubscriberReceivesChannelAndPatternMessages() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir)) {
            List<String> got = new CopyOnWriteArrayList<>();
            CountDownLatch subscribed = new CountDownLatch(2);
            CountDownLatch received = new CountDownLatch(3);
            JedisPubSub listener = new JedisPubSub() {
                @Override
                public void onMessage(String channel, String message) {
                    got.add(channel + ":" + message);
                    received.countDown();
                }

                @Override
                public void onPMessage(String pattern, String channel, String message) {
                    got.add(pattern + "/" + channel + ":" + message);
                    received.countDown();
                }

                @Override
                public void onSubscribe(String channel, int count) {
                    subscribed.countDown();
                }

                @Override
                public void onPSubscribe(String pattern, int count) {
                    subscribed.countDown();
                }
            };
            Thread t = Thread.ofPlatform().start(() -> {
                try (Jedis sub = new Jedis("127.0.0.1", server.port())) {
                    sub.psubscribe(new JedisPubSub() {
                        @Override
                        public void onPSubscribe(String pattern, int count) {
                            subscribed.countDown();
                            subscribe("news");
                        }

                        @Override
                        public void onSubscribe(String channel, int count) {
                            subscribed.countDown();
                        }

                        @Override
                        public void onMessage(String channel, String message) {
                            listener.onMessage(channel, message);
                        }

                        @Override
                        public void onPMessage(String pattern, String channel, String message) {
                            listener.onPMessage(pattern, channel, message);
                            if (received.getCount() == 0) {
                                punsubscribe();
                                unsubscribe();
                            }
                        }
                    }, "n*");
                }
            });
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
            try (Jedis pub = new Jedis("127.0.0.1", server.port())) {
                assertThat(pub.publish("news", "hello")).isEqualTo(2);
                assertThat(pub.publish("nope", "x")).isEqualTo(1);
                assertThat(pub.publish("other", "x")).isZero();
            }
            assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(got).containsExactlyInAnyOrder("news:hello", "n*/news:hello", "n*/nope:x");
            t.join(10_000);
        }
    }

    @Test
    void lettuceReceivesResp3PushMessages() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir)) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
            try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
                    var pub = client.connect()) {
                List<String> got = new CopyOnWriteArrayList<>();
                CountDownLatch received = new CountDownLatch(1);
                sub.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        got.add(channel + ":" + message);
                        received.countDown();
                    }
                });
                sub.sync().subscribe("ch");
                assertThat(sub.sync().ping()).isEqualTo("PONG"); // RESP3 allows any command while subscribed
                assertThat(pub.sync().publish("ch", "hi")).isEqualTo(1);
                assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(got).containsExactly("ch:hi");
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void expiredEventArrivesForAKeyNobodyReads() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); RawClient sub = new RawClient(server.port());
                RawClient other = new RawClient(server.port())) {
            assertThat(other.call("CONFIG", "SET", "notify-keyspace-events", "Exg")).isEqualTo("+OK\r\n");
            assertThat(other.call("CONFIG", "SET", "notify-keyspace-events", "Q")).startsWith("-ERR CONFIG SET failed");
            sub.call("SUBSCRIBE", "__keyevent@0__:expired");
            other.call("SET", "short", "v", "PX", "50");
            other.call("SET", "gone", "v");
            other.call("DEL", "gone");
            assertThat(sub.reply()).as("nobody read the key; the sweep expired it")
                    .isEqualTo("*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:expired\r\n$5\r\nshort\r\n");
            other.call("SET", "born-dead", "v", "PXAT", "1");
            assertThat(sub.reply()).as("a key set with a time already past never lives; its expired event comes at once")
                    .isEqualTo("*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:expired\r\n$9\r\nborn-dead\r\n");
        }
    }

    @Test
    void aMessageReachesItsSubscriberBeforeTheRepliesMadeAfterIt() throws Exception {
        // One RESP3 connection subscribed to the channel it publishes to: Redis queues the message
        // before PUBLISH's own reply and PING's, all in one output buffer (checked on Redis 7.0.15).
        try (CouloyServer server = ServerFixture.start(dir); RawClient c = new RawClient(server.port())) {
            c.call("HELLO", "3");
            assertThat(c.call("SUBSCRIBE", "ch")).isEqualTo(">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
            c.send("PUBLISH ch hi\r\nPING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(c.reply() + c.reply() + c.reply())
                    .isEqualTo(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n:1\r\n+PONG\r\n");
            // The same with the publishes from another connection: each PING reply follows the
            // message published (and acknowledged to its publisher) before the PING was sent.
            try (RawClient p = new RawClient(server.port())) {
                for (int round = 0; round < 20; round++) {
                    p.call("PUBLISH", "ch", "m" + round);
                    c.send("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    assertThat(c.reply()).isEqualTo(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$" + ("m" + round).length()
                            + "\r\nm" + round + "\r\n");
                    assertThat(c.reply()).isEqualTo("+PONG\r\n");
                }
            }
        }
    }
}
