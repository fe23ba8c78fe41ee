package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static io.couloy.engine.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.couloy.engine.script.LuaSandbox;
import io.couloy.engine.script.Replies;
import io.couloy.engine.script.ScriptTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptTest {
    @TempDir
    Path dir;

    private CouloyDB open() {
        return CouloyDB.open(Options.builder(dir).mergeInterval(Duration.ZERO).scriptTimeLimit(Duration.ofMillis(300))
                .build());
    }

    private static Object eval(CouloyDB db, String script, List<String> keys, List<String> args) {
        return db.eval(b(script), keys.stream().map(Bytes::b).toList(), args.stream().map(Bytes::b).toList());
    }

    private static Object eval(CouloyDB db, String script) {
        return eval(db, script, List.of(), List.of());
    }

    @Test
    void luaValuesBecomeRepliesAsInRedis() {
        try (CouloyDB db = open()) {
            assertThat(eval(db, "return 1")).isEqualTo(1L);
            assertThat(eval(db, "return 3.99")).as("numbers truncate to integers").isEqualTo(3L);
            assertThat(s((byte[]) eval(db, "return 'x'"))).isEqualTo("x");
            assertThat(eval(db, "return nil")).isNull();
            assertThat(eval(db, "return false")).isNull();
            assertThat(eval(db, "return true")).isEqualTo(1L);
            assertThat(eval(db, "return redis.status_reply('PONG')")).isEqualTo(new Replies.Status("PONG"));
            assertThat(eval(db, "return redis.error_reply('MY error')")).isEqualTo(new Replies.Error("MY error"));
            Object nested = eval(db, "return {1, 'two', {3, 'four'}, nil, 5}");
            assertThat(nested).isInstanceOf(List.class);
            List<?> list = (List<?>) nested;
            assertThat(list).hasSize(3).as("an array stops at the first nil");
            assertThat(list.get(0)).isEqualTo(1L);
            assertThat(s((byte[]) list.get(1))).isEqualTo("two");
            assertThat(((List<?>) list.get(2)).get(0)).isEqualTo(3L);
        }
    }

    @Test
    void resp3Tables_becomeResp3Replies_andBooleansFollowSetresp() {
        try (CouloyDB db = open()) {
            assertThat(eval(db, "return {double = 2.5}")).isEqualTo(new Replies.Double(2.5));
            assertThat(eval(db, "return {big_number = '12345678901234567890'}"))
                    .isEqualTo(new Replies.BigNumber("12345678901234567890"));
            Object map = eval(db, "return {map = {f = 'v'}}");
            assertThat(map).isInstanceOf(Replies.Map.class);
            assertThat(((Replies.Map) map).keysAndValues()).hasSize(2);
            assertThat(s((byte[]) ((Replies.Map) map).keysAndValues().get(1))).isEqualTo("v");
            Object set = eval(db, "return {set = {m = true}}");
            assertThat(((Replies.Set) set).members()).hasSize(1);
            Object verbatim = eval(db, "return {verbatim_string = {format = 'txt', string = 'hi'}}");
            assertThat(((Replies.Verbatim) verbatim).format()).isEqualTo("txt");
            assertThat(eval(db, "redis.setresp(3) return true")).isEqualTo(Boolean.TRUE);
            assertThat(eval(db, "redis.setresp(3) return false")).isEqualTo(Boolean.FALSE);
            assertThat(eval(db, "redis.setresp(3) redis.setresp(2) return false")).isNull();
            assertThat(eval(db, "return true")).as("setresp does not outlive its script").isEqualTo(1L);
            assertThat(s((byte[]) eval(db, "redis.setresp(3) return type(redis.call('GET', 'missing'))")))
                    .as("RESP3 null is nil").isEqualTo("nil");
            assertThat(s((byte[]) eval(db, "return type(redis.call('GET', 'missing'))"))).as("RESP2 nil is false")
                    .isEqualTo("boolean");
        }
    }

    @Test
    void numericStrings_stayStrings_andNumbersReachCommandsAsLuaPrintsThem() {
        try (CouloyDB db = open()) {
            assertThat(s((byte[]) eval(db, "return '10'"))).as("a numeric string is a bulk reply, not an integer").isEqualTo("10");
            eval(db, "redis.call('SET', 'n', 0.5)");
            assertThat(s(db.get(b("n")))).isEqualTo("0.5");
            eval(db, "redis.call('SET', 'n', 1e20)");
            assertThat(s(db.get(b("n")))).isEqualTo("1e+20");
        }
    }

    @Test
    void bundledLibraries_osClock_andArrayMetatable() {
        try (CouloyDB db = open()) {
            assertThat(eval(db, "local a = os.clock() return (type(a) == 'number' and os.exit == nil) and 1 or 0")).isEqualTo(1L);
            assertThat(s((byte[]) eval(db, "return cjson.encode(cjson.decode_array_with_array_mt('{\"a\":[]}').a)")))
                    .as("an empty array decoded with array_mt encodes back as an array").isEqualTo("[]");
            assertThat(s((byte[]) eval(db, "return cjson.encode(cjson.decode('[]'))"))).isEqualTo("{}");
            assertThat(eval(db, "return cjson.decode('[1,')")).isInstanceOf(Replies.Error.class);
            assertThat(eval(db, "return cmsgpack.unpack('\\193')")).as("0xc1 is never used").isInstanceOf(Replies.Error.class);
            assertThat(eval(db, "return struct.size('s')")).isInstanceOf(Replies.Error.class);
            assertThat(eval(db, "local n, nxt = cmsgpack.unpack_one(cmsgpack.pack(1, 2)) return {n, nxt}"))
                    .isEqualTo(List.of(1L, 1L));
        }
    }

    @Test
    void keysArgvAndRedisCall() {
        try (CouloyDB db = open()) {
            assertThat(eval(db, "return redis.call('SET', KEYS[1], ARGV[1])", List.of("k"), List.of("v")))
                    .isEqualTo(Replies.OK);
            assertThat(s(db.get(b("k")))).isEqualTo("v");
            assertThat(eval(db, "redis.call('HSET', 'h', 'f', 10); return redis.call('HINCRBY', 'h', 'f', 5)"))
                    .isEqualTo(15L);
            assertThat(eval(db, "return redis.call('GET', 'missing')")).as("nil bulk becomes false, then nil").isNull();
            assertThat(eval(db, "return #KEYS + #ARGV", List.of("a", "b"), List.of("c"))).isEqualTo(3L);
            Object members = eval(db, "redis.call('RPUSH', 'l', 'a', 'b'); return redis.call('LRANGE', 'l', 0, -1)");
            assertThat(((List<?>) members).stream().map(x -> s((byte[]) x)).toList()).containsExactly("a", "b");
        }
    }

    @Test
    void binaryValuesPassUnchanged() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        try (CouloyDB db = open()) {
            Object r = db.eval(b("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])"),
                    List.of(b("bin")), List.of(all));
            assertThat((byte[]) r).isEqualTo(all);
            assertThat(db.get(b("bin"))).isEqualTo(all);
            assertThat(eval(db, "return string.len(ARGV[1])", List.of(), List.of("a\0b"))).isEqualTo(3L);
        }
    }

    @Test
    void errors_callRaises_pcallReturns() {
        try (CouloyDB db = open()) {
            db.put(b("str"), b("x"));
            Object raised = eval(db, "redis.call('HGET', 'str', 'f'); return 'not reached'");
            assertThat(raised).isInstanceOf(Replies.Error.class);
            assertThat(((Replies.Error) raised).text()).startsWith("WRONGTYPE Operation against a key holding the wrong kind of value");
            assertThat(s((byte[]) eval(db, "local r = redis.pcall('HGET', 'str', 'f'); return r['err']")))
                    .isEqualTo("WRONGTYPE Operation against a key holding the wrong kind of value");
            // Redis's own texts for these inside scripts:
            assertThat(((Replies.Error) eval(db, "return redis.pcall('GET')")).text())
                    .isEqualTo("ERR Wrong number of args calling Redis command from script");
            assertThat(((Replies.Error) eval(db, "return redis.pcall('NOPE', 'a')")).text())
                    .isEqualTo("ERR Unknown Redis command called from script");
            assertThat(((Replies.Error) eval(db, "\nerror('boom')")).text())
                    .isEqualTo("ERR user_script:2: boom script: " + LuaSandbox.sha1(b("\nerror('boom')")) + ", on @user_script:2.");
            assertThat(((Replies.Error) eval(db, "return redis.pcall('SET', 'k', {})")).text())
                    .isEqualTo("ERR Lua redis lib command arguments must be strings or integers");
            assertThatThrownBy(() -> eval(db, "return +")).isInstanceOf(LuaSandbox.ScriptException.class)
                    .hasMessageStartingWith("ERR Error compiling script");
            assertThatThrownBy(() -> db.evalSha("0000000000000000000000000000000000000000", List.of(), List.of()))
                    .hasMessage("NOSCRIPT No matching script. Please use EVAL.");
            String sha = db.scriptLoad(b("return 'loaded'"));
            assertThat(sha).isEqualTo(LuaSandbox.sha1(b("return 'loaded'")));
            assertThat(s((byte[]) db.evalSha(sha, List.of(), List.of()))).isEqualTo("loaded");
        }
    }

    @Test
    void sandbox_hasNoIoOsOrGlobals() {
        try (CouloyDB db = open()) {
            for (String escape : List.of("io.open('/etc/passwd')", "require('x')", "dofile('/x')",
                    "loadfile('/x')", "luajava.bindClass('java.lang.System')", "debug.sethook()")) {
                Object r = eval(db, escape);
                assertThat(r).as(escape).isInstanceOf(Replies.Error.class);
                assertThat(((Replies.Error) r).text()).as(escape).contains("nonexistent global variable");
            }
            // os holds only clock, as in Redis 7.2
            assertThat(eval(db, "os.exit(1)")).isInstanceOf(Replies.Error.class);
            assertThat(eval(db, "return os.execute == nil and os.getenv == nil and 1 or 0")).isEqualTo(1L);
            assertThat(((Replies.Error) eval(db, "x = 1")).text()).contains("ERR user_script:1: Attempt to modify a readonly table");
            assertThat(eval(db, "local t = {3, 1, 2}; table.sort(t); return unpack(t)")).isEqualTo(1L);
            assertThat(s((byte[]) eval(db, "return string.format('%d-%s', 7, 'x')"))).isEqualTo("7-x");
        }
    }

    @Test
    void endlessScript_isStoppedAtTheTimeLimit_keepingEarlierWrites() {
        try (CouloyDB db = open()) {
            assertThatThrownBy(() -> eval(db, "redis.call('SET', 'before', '1'); while true do end"))
                    .isInstanceOf(ScriptTimeoutException.class);
            assertThat(s(db.get(b("before")))).isEqualTo("1");
            assertThatThrownBy(() -> eval(db, "while true do pcall(function() while true do end end) end"))
                    .as("pcall cannot swallow the stop").isInstanceOf(ScriptTimeoutException.class);
            assertThat(eval(db, "return 2")).isEqualTo(2L);
        }
    }

    @Test
    void scriptsRunAtomically() throws InterruptedException {
        try (CouloyDB db = open()) {
            db.put(b("n"), b("0"));
            String script = "local v = tonumber(redis.call('GET', 'n')); redis.call('SET', 'n', tostring(v + 1)); return v";
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 200; i++) {
                        eval(db, script);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(s(db.get(b("n")))).isEqualTo("800");
        }
    }
}
