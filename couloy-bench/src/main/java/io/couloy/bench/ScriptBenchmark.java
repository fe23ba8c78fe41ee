package io.couloy.bench;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.script.CommandCaller;
import io.couloy.engine.script.LuaSandbox;
import io.couloy.engine.script.Replies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a script costs on one thread, in nanoseconds per call: entering Lua for an empty script
 * (KEYS/ARGV tables, the deadline hook, the reply conversion), the same three-command script as
 * the server benchmark with commands that do nothing (Lua plus three redis.call conversions),
 * that script against the engine (one commit group), and its three commands called directly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScriptBenchmark {
    static final String THREE_COMMANDS =
            "redis.call('INCR', KEYS[1]) redis.call('SET', KEYS[2], ARGV[1]) return redis.call('GET', KEYS[2])";
    private static final long NO_LIMIT = 3_600_000;

    private Path dir;
    private CouloyDB db;
    private final LuaSandbox sandbox = new LuaSandbox();
    private final List<byte[]> keys = List.of(b("bench:counter"), b("bench:value"));
    private final List<byte[]> args = List.of(b("xxxxxxxxxxxxxxxx"));
    private final CommandCaller nothing = a -> Replies.OK;
    private String emptySha;
    private String threeSha;
    private String threeShaInDb;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Setup
    public void setUp() throws IOException {
        dir = Keys.tempDir("script-bench");
        db = TypesBenchmark.open(dir);
        emptySha = sandbox.load(b("return 1"));
        threeSha = sandbox.load(b(THREE_COMMANDS));
        threeShaInDb = db.scriptLoad(b(THREE_COMMANDS));
    }

    @TearDown
    public void tearDown() throws IOException {
        db.close();
        Keys.deleteTree(dir);
    }

    @Benchmark
    public Object enterLua() {
        return sandbox.run(emptySha, keys, args, nothing, NO_LIMIT);
    }

    @Benchmark
    public Object threeCallsToNothing() {
        return sandbox.run(threeSha, keys, args, nothing, NO_LIMIT);
    }

    @Benchmark
    public Object threeCommandsByScript() {
        return db.evalSha(threeShaInDb, keys, args);
    }

    @Benchmark
    public Object threeCommandsDirect() {
        db.strings().incrementBy(keys.get(0), 1);
        db.put(keys.get(1), args.get(0));
        return db.get(keys.get(1));
    }
}
