package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.couloy.server.net.CouloyServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/** The server through Jedis, as an application would use it. */
class JedisTest {
    @TempDir
    Path dir;

    private CouloyServer server;
    private Jedis jedis;

    @BeforeEach
    void start() throws InterruptedException {
        server = ServerFixture.start(dir);
        jedis = new Jedis("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        jedis.close();
        server.close();
    }

    @Test
    void strings() {
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThat(jedis.set("k", "v")).isEqualTo("OK");
        assertThat(jedis.get("k")).isEqualTo("v");
        assertThat(jedis.get("missing")).isNull();
        assertThat(jedis.set("k", "w", SetParams.setParams().nx())).isNull();
        assertThat(jedis.setGet("k", "x")).isEqualTo("v");
        assertThat(jedis.incr("n")).isEqualTo(1);
        assertThat(jedis.incrBy("n", 41)).isEqualTo(42);
        assertThat(jedis.decr("n")).isEqualTo(41);
        assertThat(jedis.incrByFloat("f", 10.5)).isEqualTo(10.5);
        assertThat(jedis.append("k", "yz")).isEqualTo(3);
        assertThat(jedis.strlen("k")).isEqualTo(3);
        assertThat(jedis.getrange("k", 1, -1)).isEqualTo("yz");
        assertThat(jedis.mset("a", "1", "b", "2")).isEqualTo("OK");
        assertThat(jedis.mget("a", "nope", "b")).containsExactly("1", null, "2");
        assertThat(jedis.msetnx("a", "9", "c", "3")).isZero();
        assertThat(jedis.exists("c")).isFalse();
        assertThat(jedis.setbit("bits", 7, true)).isFalse();
        assertThat(jedis.bitcount("bits")).isEqualTo(1);
        assertThat(jedis.getDel("a")).isEqualTo("1");
        assertThatThrownBy(() -> jedis.incr("k")).isInstanceOf(JedisDataException.class)
                .hasMessage("ERR value is not an integer or out of range");
    }

    @Test
    void binaryValuesRoundTrip() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        jedis.set("bin".getBytes(), all);
        assertThat(jedis.get("bin".getBytes())).isEqualTo(all);
        byte[] big = new byte[5 * 1024 * 1024];
        new java.util.Random(1).nextBytes(big);
        jedis.set("big".getBytes(), big);
        assertThat(jedis.get("big".getBytes())).isEqualTo(big);
    }

    @Test
    void keysAndExpiry() {
        jedis.set("a", "1");
        jedis.set("b", "2");
        assertThat(jedis.expire("a", 100)).isEqualTo(1);
        assertThat(jedis.ttl("a")).isBetween(99L, 100L);
        assertThat(jedis.pttl("b")).isEqualTo(-1);
        assertThat(jedis.ttl("zz")).isEqualTo(-2);
        assertThat(jedis.persist("a")).isEqualTo(1);
        assertThat(jedis.type("a")).isEqualTo("string");
        assertThat(jedis.type("zz")).isEqualTo("none");
        assertThat(jedis.keys("*")).containsExactlyInAnyOrder("a", "b");
        assertThat(jedis.del("a", "b", "zz")).isEqualTo(2);
        assertThat(jedis.dbSize()).isZero();
        jedis.select(3);
        jedis.set("in3", "x");
        jedis.select(0);
        assertThat(jedis.exists("in3")).isFalse();
        assertThatThrownBy(() -> jedis.select(16)).hasMessage("ERR DB index is out of range");
    }

    @Test
    void multiExecAndWatch() {
        Transaction t = jedis.multi();
        Response<String> set = t.set("x", "1");
        Response<Long> incr = t.incr("x");
        Response<Long> bad = t.incr("x");
        List<Object> results = t.exec();
        assertThat(results).hasSize(3);
        assertThat(set.get()).isEqualTo("OK");
        assertThat(incr.get()).isEqualTo(2);
        assertThat(bad.get()).isEqualTo(3);

        jedis.watch("w");
        try (Jedis other = new Jedis("127.0.0.1", server.port())) {
            other.set("w", "changed");
        }
        Transaction t2 = jedis.multi();
        t2.set("w", "mine");
        assertThat(t2.exec()).as("EXEC after a watched key changed").isNull();
        assertThat(jedis.get("w")).isEqualTo("changed");
    }

    @Test
    void pipelineKeepsOrder() {
        Pipeline p = jedis.pipelined();
        for (int i = 0; i < 2000; i++) {
            p.set("p" + i, Integer.toString(i));
        }
        List<Response<String>> gets = new java.util.ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            gets.add(p.get("p" + i));
        }
        p.sync();
        for (int i = 0; i < 2000; i++) {
            assertThat(gets.get(i).get()).isEqualTo(Integer.toString(i));
        }
    }

    @Test
    void infoShowsCommandStats() {
        jedis.set("a", "1");
        jedis.get("a");
        jedis.get("a");
        assertThat(jedis.info("commandstats")).contains("cmdstat_get:calls=2,").contains("cmdstat_set:calls=1,");
        assertThat(jedis.info()).contains("redis_version:").contains("# Keyspace").doesNotContain("cmdstat_");
        // auto: the native transport where it loads (Linux on x86-64, as here and in CI), else NIO
        String api = io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio";
        assertThat(jedis.info("server")).contains("\r\nmultiplexing_api:" + api + "\r\n");
        assertThat(jedis.configResetStat()).isEqualTo("OK");
        assertThat(jedis.info("commandstats")).doesNotContain("cmdstat_get");
    }

    @Test
    void infoNamesTheTransport() throws InterruptedException {
        try (CouloyServer nio = ServerFixture.start(dir.resolve("nio"), c -> c.with("io-transport", "nio"));
                Jedis client = new Jedis("127.0.0.1", nio.port())) {
            assertThat(client.info("server")).contains("\r\nmultiplexing_api:nio\r\n");
            assertThat(client.set("k", "v")).isEqualTo("OK");
        }
    }

    @Test
    void commandStatsCountCallsAndFailures() {
        var p = jedis.pipelined();
        for (int i = 0; i < 5000; i++) {
            p.sendCommand(redis.clients.jedis.Protocol.Command.PING, new String[0]);
        }
        p.sync();
        jedis.set("s", "x");
        assertThatThrownBy(() -> jedis.incr("s")).hasMessageContaining("not an integer");
        String info = jedis.info("commandstats");
        java.util.regex.Matcher ping = java.util.regex.Pattern.compile("cmdstat_ping:calls=(\\d+),usec=(\\d+),").matcher(info);
        assertThat(ping.find()).as(info).isTrue();
        assertThat(Long.parseLong(ping.group(1))).isEqualTo(5000);
        assertThat(info).contains("cmdstat_incr:calls=1,").containsPattern("cmdstat_incr:[^\\r]*failed_calls=1\\r");
    }
}
