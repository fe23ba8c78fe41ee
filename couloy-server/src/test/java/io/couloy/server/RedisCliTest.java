package io.couloy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.net.CouloyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's redis-cli against the server: plain commands, RESP3, --pipe mass insertion, inline commands. */
class RedisCliTest {
    @TempDir
    Path dir;

    private static String cli(int port, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.strip();
    }

    @Test
    void redisCli() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-cli")), "redis-cli is not installed");
        try (CouloyServer server = ServerFixture.start(dir)) {
            int port = server.port();
            assertThat(cli(port, null, "ping")).isEqualTo("PONG");
            assertThat(cli(port, null, "set", "greeting", "hello world")).isEqualTo("OK");
            assertThat(cli(port, null, "get", "greeting")).isEqualTo("hello world");
            assertThat(cli(port, null, "-3", "--no-raw", "get", "missing")).isEqualTo("(nil)");
            assertThat(cli(port, null, "-3", "--no-raw", "incrbyfloat", "x", "1.5")).isEqualTo("\"1.5\"");
            StringBuilder mass = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                mass.append("SET key:").append(i).append(" value:").append(i).append('\n');
            }
            String piped = cli(port, mass.toString(), "--pipe");
            assertThat(piped).contains("errors: 0, replies: 10000");
            assertThat(cli(port, null, "get", "key:9999")).isEqualTo("value:9999");
            assertThat(cli(port, null, "dbsize")).isEqualTo("10002");
        }
    }

    @Test
    void inlineCommandsAsTypedInTelnet() throws Exception {
        try (CouloyServer server = ServerFixture.start(dir); RawClient c = new RawClient(server.port())) {
            c.send("SET \"two words\" 'it''s'\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(c.reply()).isEqualTo("-ERR Protocol error: unbalanced quotes in request\r\n");
        }
        try (CouloyServer server = ServerFixture.start(dir.resolve("2")); RawClient c = new RawClient(server.port())) {
            c.send("SET \"two words\" \"a\\x41\\n\"\r\nGET \"two words\"\r\n\r\nPING\n".getBytes(StandardCharsets.UTF_8));
            assertThat(c.reply()).isEqualTo("+OK\r\n");
            assertThat(c.reply()).isEqualTo("$3\r\naA\n\r\n");
            assertThat(c.reply()).isEqualTo("+PONG\r\n");
        }
    }
}
