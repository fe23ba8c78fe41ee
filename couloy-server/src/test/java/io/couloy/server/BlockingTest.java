package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.net.CouloyServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/** Blocking pops: timeouts, wake-ups by a push from another client, fairness, order, MULTI. */
class BlockingTest {
    @TempDir
    Path dir;

    @Test
    void timeoutAnswersNil() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); Jedis j = new Jedis("127.0.0.1", server.port())) {
            long start = System.nanoTime();
            assertThat(j.blpop(0.2, "empty")).isNull();
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(150L, 5_000L);
            assertThat(j.bzpopmin(0.1, "emptyz")).isNull();
        }
    }

    @Test
    void pushFromAnotherClientWakesTheOldestWaiterFirst() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); Jedis first = new Jedis("127.0.0.1", server.port());
                Jedis second = new Jedis("127.0.0.1", server.port()); Jedis pusher = new Jedis("127.0.0.1", server.port())) {
            CompletableFuture<List<String>> a = CompletableFuture.supplyAsync(() -> first.brpop(10, "q", "other"));
            Thread.sleep(200);
            CompletableFuture<List<String>> b = CompletableFuture.supplyAsync(() -> second.brpop(10, "q"));
            Thread.sleep(200);
            pusher.lpush("q", "job1");
            assertThat(a.get(5, TimeUnit.SECONDS)).containsExactly("q", "job1");
            assertThat(b.isDone()).isFalse();
            pusher.lpush("q", "job2");
            assertThat(b.get(5, TimeUnit.SECONDS)).containsExactly("q", "job2");
            assertThat(pusher.llen("q")).isZero();
        }
    }

    @Test
    void sortedSetAndMoveWaitersWake() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); Jedis waiter = new Jedis("127.0.0.1", server.port());
                Jedis mover = new Jedis("127.0.0.1", server.port()); Jedis writer = new Jedis("127.0.0.1", server.port())) {
            CompletableFuture<Object> z = CompletableFuture.supplyAsync(() -> waiter.bzpopmax(10, "z"));
            CompletableFuture<String> m = CompletableFuture.supplyAsync(() -> mover.blmove("src", "dst",
                    redis.clients.jedis.args.ListDirection.LEFT, redis.clients.jedis.args.ListDirection.RIGHT, 10));
            Thread.sleep(200);
            writer.zadd("z", 2.5, "m");
            writer.rpush("src", "x");
            assertThat(z.get(5, TimeUnit.SECONDS).toString()).contains("m").contains("2.5");
            assertThat(m.get(5, TimeUnit.SECONDS)).isEqualTo("x");
            assertThat(writer.lrange("dst", 0, -1)).containsExactly("x");
        }
    }

    @Test
    void pipelinedCommandsAfterABlockWaitForIt_andMultiNeverBlocks() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); RawClient c = new RawClient(server.port());
                Jedis other = new Jedis("127.0.0.1", server.port())) {
            c.send((new String(RawClient.encode("BLPOP".getBytes(), "k".getBytes(), "5".getBytes()))
                    + new String(RawClient.encode("PING".getBytes()))).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            Thread.sleep(200);
            other.rpush("k", "v");
            assertThat(c.reply()).isEqualTo("*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
            assertThat(c.reply()).isEqualTo("+PONG\r\n");
            Transaction t = other.multi();
            t.blpop(0, "never");
            assertThat(t.exec()).containsExactly((Object) null);
            // A script in the transaction ends its calls' never-block mode: the EXEC's must last.
            Transaction after = other.multi();
            after.eval("return redis.call('ping')");
            after.blpop(0, "never");
            after.brpop(0, "never");
            assertThat(after.exec()).containsExactly("PONG", null, null);
        }
    }

    @Test
    void clientUnblockAndKill() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); RawClient blocked = new RawClient(server.port());
                RawClient admin = new RawClient(server.port())) {
            String id = blocked.call("CLIENT", "ID").substring(1).strip();
            blocked.send(RawClient.encode("BLPOP".getBytes(), "never".getBytes(), "0".getBytes()));
            Thread.sleep(200);
            assertThat(admin.call("CLIENT", "UNBLOCK", id)).isEqualTo(":1\r\n");
            assertThat(blocked.reply()).isEqualTo("*-1\r\n");
            blocked.send(RawClient.encode("BLPOP".getBytes(), "never".getBytes(), "0".getBytes()));
            Thread.sleep(200);
            assertThat(admin.call("CLIENT", "UNBLOCK", id, "ERROR")).isEqualTo(":1\r\n");
            assertThat(blocked.reply()).isEqualTo("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
            assertThat(admin.call("CLIENT", "UNBLOCK", id)).as("not blocked now").isEqualTo(":0\r\n");
            assertThat(admin.call("CLIENT", "KILL", "ID", id)).isEqualTo(":1\r\n");
            assertThat(blocked.closedByServer()).isTrue();
            assertThat(admin.call("PING")).isEqualTo("+PONG\r\n");
        }
    }
}
