package io.couloy.engine.script;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Redis-style Lua scripts: KEYS and ARGV, the {@code redis} table (call, pcall,
 * error_reply, status_reply, sha1hex, log), Redis's conversions between Lua values and replies,
 * in a sandbox: the base, table, string and math libraries only (no io, os, package, require,
 * dofile, loadfile, coroutines or Java access), globals read-only to scripts, and a time limit
 * enforced by an instruction hook. Strings are byte strings, so binary values pass unchanged.
 *
 * <p>Compiled scripts are cached by SHA1 (as EVALSHA needs). One Lua state per thread, reused.
 */
public final class LuaSandbox {
    private static final Logger LOG = LoggerFactory.getLogger("io.couloy.script");

    private final ConcurrentHashMap<String, Prototype> compiled = new ConcurrentHashMap<>();
    private final ThreadLocal<State> states = ThreadLocal.withInitial(State::new);

    /** The SHA1 of a script, lowercase hex, as Redis names scripts. */
    public static String sha1(byte[] script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compiles and caches a script; returns its SHA1. A syntax error is thrown as {@link ScriptException}. */
    public String load(byte[] script) {
        String sha = sha1(script);
        compiled.computeIfAbsent(sha, s -> compile(script, s));
        return sha;
    }

    /** Whether a script of this SHA1 is cached. */
    public boolean exists(String sha) {
        return compiled.containsKey(sha.toLowerCase(java.util.Locale.ROOT));
    }

    /** Forgets every cached script (SCRIPT FLUSH). */
    public void flush() {
        compiled.clear();
    }

    // ------------------------------------------------------------------ function libraries

    /** A function a library registered: what FUNCTION LIST shows and FCALL_RO checks. */
    public record FunctionInfo(String name, String library, String description, java.util.Set<String> flags) {
        public boolean readOnly() {
            return flags.contains("no-writes");
        }
    }

    /** A loaded library: its code (what FUNCTION DUMP saves) and its functions. */
    public record Library(String name, byte[] code, List<FunctionInfo> functions, long version) {}

    /** The flags redis.register_function takes, in the order Redis lists them. */
    private static final List<String> FLAG_ORDER = List.of("no-writes", "allow-oom", "allow-stale", "no-cluster",
            "allow-cross-slot-keys");
    private static final java.util.Set<String> FLAGS = java.util.Set.copyOf(FLAG_ORDER);
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_]+");
    /** How long a library's code may run while it registers its functions, as Redis's load timeout. */
    private static final long LOAD_TIME_LIMIT_MILLIS = 500;

    private final java.util.Map<String, Library> libraries = new java.util.TreeMap<>();
    private final java.util.Map<String, FunctionInfo> functions = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong versions = new java.util.concurrent.atomic.AtomicLong();

    /**
     * FUNCTION LOAD: reads the {@code #!lua name=<library>} header, compiles the rest, runs it so
     * it registers its functions (redis.register_function), and keeps the library; returns it.
     * Errors are thrown as {@link ScriptException} with Redis's text.
     */
    public synchronized Library loadLibrary(byte[] code, boolean replace) {
        String text = new String(code, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("#!")) {
            throw new ScriptException("ERR Missing library metadata");
        }
        int nl = text.indexOf('\n');
        if (nl < 0) {
            throw new ScriptException("ERR Invalid library metadata");
        }
        String[] parts = text.substring(0, nl).trim().split("\\s+");
        String engine = parts[0].substring(2);
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].regionMatches(true, 0, "name=", 0, 5)) {
                if (name != null) {
                    throw new ScriptException("ERR Invalid metadata value, name argument was given multiple times");
                }
                name = parts[i].substring(5);
            } else {
                throw new ScriptException("ERR Invalid metadata value given: " + parts[i]);
            }
        }
        if (name == null) {
            throw new ScriptException("ERR Library name was not given");
        }
        if (!NAME.matcher(name).matches()) {
            throw new ScriptException("ERR Library names can only contain letters, numbers, or underscores(_) and must be "
                    + "at least one character long");
        }
        if (!engine.equalsIgnoreCase("lua")) {
            throw new ScriptException("ERR Engine '" + engine + "' not found");
        }
        Library old = libraries.get(name);
        if (old != null && !replace) {
            throw new ScriptException("ERR Library '" + name + "' already exists");
        }
        java.util.Map<String, Registered> registered = register(compileLibrary(code), name);
        if (registered.isEmpty()) {
            throw new ScriptException("ERR No functions registered");
        }
        for (String f : registered.keySet()) {
            FunctionInfo other = functions.get(f);
            if (other != null && !other.library().equals(name)) {
                throw new ScriptException("ERR Function " + f + " already exists");
            }
        }
        if (old != null) {
            old.functions().forEach(f -> functions.remove(f.name()));
        }
        List<FunctionInfo> infos = new ArrayList<>();
        registered.values().forEach(r -> infos.add(r.info()));
        Library lib = new Library(name, code.clone(), List.copyOf(infos), versions.incrementAndGet());
        libraries.put(name, lib);
        infos.forEach(f -> functions.put(f.name(), f));
        return lib;
    }

    /** Compiles a library's code with its header line blanked, so error lines count as Redis counts them. */
    private static Prototype compileLibrary(byte[] code) {
        byte[] body = code.clone();
        for (int i = 0; i < body.length && body[i] != '\n'; i++) {
            body[i] = ' ';
        }
        try {
            return withoutTailCalls(LuaC.instance.compile(new java.io.ByteArrayInputStream(body), "@user_function"));
        } catch (LuaError | java.io.IOException e) {
            throw new ScriptException("ERR Error compiling function: " + e.getMessage());
        }
    }

    /** A function as a library registered it: its description and the callback in that Lua state. */
    private record Registered(FunctionInfo info, LuaValue callback) {}

    /** Runs a library's code in this thread's state, collecting what it registers. */
    private java.util.Map<String, Registered> register(Prototype p, String library) {
        State s = states.get();
        if (s.busy) {
            throw new ScriptException("ERR scripts cannot run scripts");
        }
        s.busy = true;
        s.registering = new java.util.LinkedHashMap<>();
        s.registeringLibrary = library;
        s.hook.deadline = System.nanoTime() + LOAD_TIME_LIMIT_MILLIS * 1_000_000;
        s.hook.caller = NO_CALLER;
        s.hook.timedOut = false;
        s.hook.killed = false;
        try {
            new LuaClosure(p, s.globals).call();
            return s.registering;
        } catch (Stop e) {
            throw new ScriptException("ERR FUNCTION LOAD timeout");
        } catch (LuaError e) {
            LuaValue m = e.getMessageObject();
            String why = m != null && m.istable() && m.get("err").isstring() ? m.get("err").tojstring() : e.getMessage();
            int nl = why == null ? -1 : why.indexOf('\n');
            throw new ScriptException("ERR Error registering functions: " + (nl >= 0 ? why.substring(0, nl) : why));
        } finally {
            s.registering = null;
            s.registeringLibrary = null;
            s.busy = false;
        }
    }

    /** FUNCTION DELETE: false if there is no such library. */
    public synchronized boolean deleteLibrary(String name) {
        Library lib = libraries.remove(name);
        if (lib == null) {
            return false;
        }
        lib.functions().forEach(f -> functions.remove(f.name()));
        return true;
    }

    /** FUNCTION FLUSH. */
    public synchronized void flushLibraries() {
        libraries.clear();
        functions.clear();
    }

    /** The libraries, by name. */
    public synchronized List<Library> libraries() {
        return List.copyOf(libraries.values());
    }

    /** The function called {@code name}, or null. */
    public FunctionInfo function(String name) {
        return functions.get(name);
    }

    /**
     * FCALL: runs function {@code name} with {@code keys} and {@code args} as its two arguments.
     * The library's code runs once per Lua state (thread) to register the callbacks there, again
     * after the library is replaced.
     *
     * @throws ScriptException "ERR Function not found"
     */
    public Object callFunction(String name, List<byte[]> keys, List<byte[]> args, CommandCaller caller, long timeLimitMillis) {
        FunctionInfo f = functions.get(name);
        Library lib = f == null ? null : libraryNamed(f.library());
        if (lib == null) {
            throw new ScriptException("ERR Function not found");
        }
        State s = states.get();
        if (!Long.valueOf(lib.version()).equals(s.loadedLibraries.get(lib.name()))) {
            register(compileLibrary(lib.code()), lib.name()).forEach((fn, r) -> s.callbacks.put(fn, r.callback()));
            s.loadedLibraries.put(lib.name(), lib.version());
        }
        LuaValue callback = s.callbacks.get(name);
        return execute(caller, timeLimitMillis, "user_function", name, st -> callback.call(table(keys), table(args)));
    }

    private synchronized Library libraryNamed(String name) {
        return libraries.get(name);
    }

    private Prototype compile(byte[] script, String sha) {
        try {
            return withoutTailCalls(LuaC.instance.compile(new java.io.ByteArrayInputStream(script), "@user_script"));
        } catch (LuaError | java.io.IOException e) {
            // LuaJ words one common syntax error differently from Lua 5.1; say it as Redis does.
            String why = stripChunk(e.getMessage()).replaceFirst("unexpected symbol \\d+ \\((.+)\\)$", "unexpected symbol near '$1'");
            throw new ScriptException("ERR Error compiling script (new function): user_script:" + why);
        }
    }

    /**
     * Turns every {@code return f(x)} tail call into a plain call (the RETURN after it returns its
     * results). LuaJ runs a tail call after the caller's frame is gone, so an error raised by, say,
     * redis.call would lose the script line Redis names in its error reply; Lua 5.1 keeps the frame
     * of a tail-called C function, which is what Redis reports.
     */
    private static Prototype withoutTailCalls(Prototype p) {
        for (int i = 0; i < p.code.length; i++) {
            if ((p.code[i] & org.luaj.vm2.Lua.MASK_OP) == org.luaj.vm2.Lua.OP_TAILCALL) {
                p.code[i] = (p.code[i] & ~org.luaj.vm2.Lua.MASK_OP) | org.luaj.vm2.Lua.OP_CALL;
            }
        }
        for (Prototype child : p.p) {
            withoutTailCalls(child);
        }
        return p;
    }

    private static String stripChunk(String message) {
        if (message == null) {
            return "";
        }
        int at = message.indexOf("user_script:");
        return at >= 0 ? message.substring(at + "user_script:".length()) : message;
    }

    /**
     * Runs the cached script {@code sha} with {@code keys} and {@code args}, sending its
     * commands to {@code caller}; returns its reply (an error reply if the script failed).
     *
     * @throws ScriptException "NOSCRIPT No matching script. Please use EVAL." if not cached
     * @throws ScriptTimeoutException if it ran past {@code timeLimitMillis}
     */
    public Object run(String sha, List<byte[]> keys, List<byte[]> args, CommandCaller caller, long timeLimitMillis) {
        Prototype p = compiled.get(sha.toLowerCase(java.util.Locale.ROOT));
        if (p == null) {
            throw new ScriptException("NOSCRIPT No matching script. Please use EVAL.");
        }
        return execute(caller, timeLimitMillis, "user_script", sha, s -> {
            s.globals.rawset("KEYS", table(keys));
            s.globals.rawset("ARGV", table(args));
            return new LuaClosure(p, s.globals).call();
        });
    }

    /**
     * Runs {@code body} in this thread's Lua state with {@code caller} answering redis.call and the
     * deadline armed; turns its result into a reply and its failure into Redis's error reply
     * ({@code chunk} and {@code id} name it there: user_script and the SHA, or user_function and
     * the function's name).
     */
    private Object execute(CommandCaller caller, long timeLimitMillis, String chunk, String id,
            java.util.function.Function<State, LuaValue> body) {
        State s = states.get();
        if (s.busy) {
            throw new ScriptException("ERR scripts cannot run scripts");
        }
        s.busy = true;
        s.resp = 2;
        s.caller = caller;
        s.timeLimitMillis = timeLimitMillis;
        s.hook.deadline = System.nanoTime() + timeLimitMillis * 1_000_000;
        s.hook.nextPulse = System.nanoTime() + PULSE_MILLIS * 1_000_000;
        s.hook.caller = caller;
        s.hook.timedOut = false;
        s.hook.killed = false;
        running = s;
        try {
            return toReply(body.apply(s), s.resp == 3);
        } catch (Stop e) {
            if (s.hook.killed) {
                // Redis says SCRIPT KILL for functions too, and names the line the script was on.
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(chunk + ":(\\d+)").matcher(s.hook.stoppedAt);
                return new Replies.Error("ERR Script killed by user with SCRIPT KILL... script: " + id + ", on @" + chunk + ":"
                        + (m.find() ? m.group(1) : "1") + ".");
            }
            throw new ScriptTimeoutException(timeLimitMillis);
        } catch (LuaError e) {
            if (s.hook.timedOut) {
                throw new ScriptTimeoutException(timeLimitMillis);
            }
            return errorReply(e, chunk, id);
        } catch (StackOverflowError e) {
            return new Replies.Error("ERR stack overflow in script: " + id);
        } finally {
            running = null;
            s.caller = null;
            s.hook.caller = NO_CALLER;
            s.busy = false;
        }
    }

    /**
     * A script's failure as Redis 7 words it: a command's error reply raised by redis.call keeps
     * its text; a Lua error becomes "ERR user_script:LINE: message"; both end with
     * " script: SHA, on @user_script:LINE.".
     */
    private static Replies.Error errorReply(LuaError e, String chunk, String id) {
        String full = e.getMessage() == null ? "" : e.getMessage();
        java.util.regex.Matcher lm = java.util.regex.Pattern.compile("^@?" + chunk + ":(\\d+)").matcher(full);
        String line = e instanceof CallError ce ? ce.line() : lm.find() ? lm.group(1) : "1";
        String where = " script: " + id + ", on @" + chunk + ":" + line + ".";
        LuaValue m = e.getMessageObject();
        if (m != null && m.istable() && m.get("err").isstring()) {
            return new Replies.Error(m.get("err").tojstring() + where);
        }
        String text = m == null || m.isnil() ? full : m.tojstring();
        int nl = text.indexOf('\n');
        if (nl >= 0) {
            text = text.substring(0, nl); // LuaJ appends a stack traceback
        }
        text = text.replaceFirst("^@?" + chunk + ":\\d+:? ", ""); // and prefixes the position Redis puts elsewhere
        return new Replies.Error("ERR " + chunk + ":" + line + ": " + text + where);
    }

    private static LuaTable table(List<byte[]> items) {
        LuaTable t = new LuaTable(items.size(), 0);
        for (int i = 0; i < items.size(); i++) {
            t.rawset(i + 1, LuaString.valueOf(items.get(i)));
        }
        return t;
    }

    /**
     * A script's Lua value as a reply, by Redis's rules: strings are bulk strings, numbers
     * integers (truncated), tables with an {@code err} / {@code ok} / {@code double} /
     * {@code big_number} / {@code verbatim_string} / {@code map} / {@code set} field those
     * replies (whatever the protocol: a RESP2 client gets them downgraded), other tables arrays
     * up to the first nil. A boolean depends on the script's {@code redis.setresp}: under 2, true
     * is 1 and false nil; under 3, a RESP3 boolean.
     */
    static Object toReply(LuaValue v, boolean resp3) {
        // type(), not isstring()/isnumber(): LuaJ says a numeric string "is" a number and a number "is" a string.
        if (v.type() == LuaValue.TSTRING) {
            return bytes(v.checkstring());
        }
        if (v.type() == LuaValue.TNUMBER) {
            return (long) v.todouble();
        }
        if (v.isboolean()) {
            return resp3 ? (Object) v.toboolean() : v.toboolean() ? (Object) 1L : null;
        }
        if (v.istable()) {
            LuaValue err = v.rawget("err");
            if (err.type() == LuaValue.TSTRING) {
                return new Replies.Error(err.tojstring());
            }
            LuaValue ok = v.rawget("ok");
            if (ok.type() == LuaValue.TSTRING) {
                return new Replies.Status(ok.tojstring());
            }
            LuaValue dbl = v.rawget("double");
            if (dbl.type() == LuaValue.TNUMBER) {
                return new Replies.Double(dbl.todouble());
            }
            LuaValue big = v.rawget("big_number");
            if (big.type() == LuaValue.TSTRING) {
                return new Replies.BigNumber(big.tojstring().replace('\r', ' ').replace('\n', ' '));
            }
            LuaValue verbatim = v.rawget("verbatim_string");
            if (verbatim.istable() && verbatim.rawget("format").type() == LuaValue.TSTRING
                    && verbatim.rawget("string").type() == LuaValue.TSTRING) {
                return new Replies.Verbatim(verbatim.rawget("format").tojstring(), bytes(verbatim.rawget("string").checkstring()));
            }
            LuaValue map = v.rawget("map");
            if (map.istable()) {
                List<Object> kv = new ArrayList<>();
                for (Varargs e = map.next(LuaValue.NIL); !e.arg1().isnil(); e = map.next(e.arg1())) {
                    kv.add(toReply(e.arg1(), resp3));
                    kv.add(toReply(e.arg(2), resp3));
                }
                return new Replies.Map(kv);
            }
            LuaValue set = v.rawget("set");
            if (set.istable()) {
                List<Object> members = new ArrayList<>();
                for (Varargs e = set.next(LuaValue.NIL); !e.arg1().isnil(); e = set.next(e.arg1())) {
                    members.add(toReply(e.arg1(), resp3));
                }
                return new Replies.Set(members);
            }
            List<Object> out = new ArrayList<>();
            for (int i = 1; ; i++) {
                LuaValue item = v.rawget(i);
                if (item.isnil()) {
                    break;
                }
                out.add(toReply(item, resp3));
            }
            return out;
        }
        return null;
    }

    private static byte[] bytes(LuaString s) {
        byte[] b = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
        return b;
    }

    /**
     * A command's reply as Redis hands it to a script: nil is false under RESP2 and nil under
     * RESP3; RESP3 values become Redis's one-field tables ({@code {double=1.5}},
     * {@code {map={f=v}}}, {@code {set={m=true}}}, {@code {big_number="1"}},
     * {@code {verbatim_string={format="txt", string="..."}}}) and booleans Lua booleans.
     */
    static LuaValue toLua(Object reply, boolean resp3) {
        return switch (reply) {
            case null -> resp3 ? LuaValue.NIL : LuaValue.FALSE;
            case Long l -> LuaValue.valueOf(l);
            case byte[] b -> LuaString.valueOf(b);
            case Boolean b -> LuaValue.valueOf(b);
            case Replies.Status s -> tableWith("ok", s.text());
            case Replies.Error e -> tableWith("err", e.text());
            case Replies.Double d -> {
                LuaTable t = new LuaTable();
                t.rawset("double", LuaValue.valueOf(d.value()));
                yield t;
            }
            case Replies.BigNumber n -> tableWith("big_number", n.digits());
            case Replies.Verbatim vs -> {
                LuaTable inner = new LuaTable();
                inner.rawset("format", LuaValue.valueOf(vs.format()));
                inner.rawset("string", LuaString.valueOf(vs.text()));
                LuaTable t = new LuaTable();
                t.rawset("verbatim_string", inner);
                yield t;
            }
            case Replies.Map m -> {
                LuaTable inner = new LuaTable();
                for (int i = 0; i + 1 < m.keysAndValues().size(); i += 2) {
                    inner.rawset(toLua(m.keysAndValues().get(i), resp3), toLua(m.keysAndValues().get(i + 1), resp3));
                }
                LuaTable t = new LuaTable();
                t.rawset("map", inner);
                yield t;
            }
            case Replies.Set st -> {
                LuaTable inner = new LuaTable();
                for (Object member : st.members()) {
                    inner.rawset(toLua(member, resp3), LuaValue.TRUE);
                }
                LuaTable t = new LuaTable();
                t.rawset("set", inner);
                yield t;
            }
            case List<?> list -> {
                LuaTable t = new LuaTable(list.size(), 0);
                for (int i = 0; i < list.size(); i++) {
                    t.rawset(i + 1, toLua(list.get(i), resp3));
                }
                yield t;
            }
            default -> throw new IllegalArgumentException("not a reply: " + reply.getClass());
        };
    }

    private static LuaTable tableWith(String field, String text) {
        LuaTable t = new LuaTable();
        t.rawset(field, LuaValue.valueOf(text));
        return t;
    }

    /**
     * A command's error raised by redis.call: a table, to which LuaJ attaches no position, so the
     * line of the script's call travels with it (Redis names it in the error reply).
     */
    private static final class CallError extends LuaError {
        CallError(LuaValue message) {
            super(message);
        }

        /** The calling line, from the position LuaJ records (as "@user_script:N") while the error passes the script's frame. */
        String line() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(":(\\d+)$").matcher(fileline == null ? "" : fileline);
            return m.find() ? m.group(1) : "1";
        }
    }

    /** A script error outside its own run: compile errors, NOSCRIPT, nesting. */
    public static final class ScriptException extends RuntimeException {
        public ScriptException(String message) {
            super(message);
        }
    }

    /** Unwinds a script past its deadline through any pcall. */
    private static final class Stop extends Error {
        Stop() {
            super("script time limit reached", null, false, false);
        }
    }

    /** About how often a running script lets its caller act ({@link CommandCaller#whileRunning()}). */
    public static final long PULSE_MILLIS = 10;

    /** The hook's caller while a library registers its functions: redis.call is refused then anyway. */
    private static final CommandCaller NO_CALLER = args -> {
        throw new IllegalStateException("no commands while a library loads");
    };

    /** Stops a script past its deadline: checked every 1,024 instructions; pulses its caller meanwhile. */
    private static final class DeadlineHook extends DebugLib {
        long deadline;
        long nextPulse;
        CommandCaller caller = NO_CALLER;
        boolean timedOut;
        /** Set from another thread by {@link #kill()}. */
        volatile boolean killed;
        /** The Lua stack where the script was stopped (its first line names the current line). */
        String stoppedAt = "";
        private int count;

        @Override
        public void onInstruction(int pc, Varargs v, int top) {
            if ((++count & 1023) == 0) {
                long now = System.nanoTime();
                if (now - nextPulse >= 0 && !killed) {
                    nextPulse = now + PULSE_MILLIS * 1_000_000;
                    caller.whileRunning(); // may kill this script (SCRIPT KILL from another client)
                }
                if (killed || now > deadline) {
                    timedOut = !killed;
                    stoppedAt = traceback(1);
                    throw new Stop(); // an Error, not an exception: a pcall in the script cannot catch it
                }
            }
            super.onInstruction(pc, v, top);
        }
    }

    /** The state running a script or function now, if any: SCRIPT KILL reaches it here. */
    private volatile State running;

    /**
     * SCRIPT KILL / FUNCTION KILL: stops the running script at its next instruction check; it
     * returns Redis's "killed" error to its caller. Whether killing is allowed (nothing written
     * yet) is the caller's decision. Returns false if nothing runs.
     */
    public boolean kill() {
        State s = running;
        if (s == null) {
            return false;
        }
        s.hook.killed = true;
        return true;
    }

    /** One thread's Lua state. */
    private final class State {
        final Globals globals = new Globals();
        final DeadlineHook hook = new DeadlineHook();
        CommandCaller caller;
        /** The protocol of the script's replies, as redis.setresp chose (2 until it is called). */
        int resp = 2;
        long timeLimitMillis;
        boolean busy;
        /** While a library loads: what it registers (else null). */
        java.util.Map<String, Registered> registering;
        String registeringLibrary;
        /** Function callbacks registered in this state, and the library versions they came from. */
        final java.util.Map<String, LuaValue> callbacks = new java.util.HashMap<>();
        final java.util.Map<String, Long> loadedLibraries = new java.util.HashMap<>();

        State() {
            globals.load(new BaseLib());
            globals.load(new PackageLib()); // the libraries register in package.loaded; removed below
            globals.load(new TableLib());
            globals.load(new StringLib());
            globals.load(new JseMathLib());
            globals.load(hook); // sets globals.debuglib, so every instruction reaches the hook
            LoadState.install(globals);
            LuaC.install(globals);
            for (String gone : new String[] {"dofile", "loadfile", "require", "module", "debug",
                    "package", "io", "os", "coroutine", "luajava"}) {
                globals.rawset(gone, LuaValue.NIL);
            }
            globals.rawset("unpack", globals.get("table").get("unpack")); // Lua 5.1's name
            globals.rawset("loadstring", globals.get("load"));
            lua51();
            globals.rawset("print", new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs a) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 1; i <= a.narg(); i++) {
                        sb.append(i > 1 ? "\t" : "").append(a.arg(i).tojstring());
                    }
                    LOG.info("script: {}", sb);
                    return NONE;
                }
            });
            globals.rawset("redis", redisTable());
            globals.rawset("cjson", CJson.library());
            globals.rawset("cmsgpack", CMsgpack.library());
            globals.rawset("bit", BitOp.library());
            globals.rawset("struct", Struct.library());
            LuaTable os = new LuaTable(); // Redis keeps only os.clock
            os.rawset("clock", new org.luaj.vm2.lib.ZeroArgFunction() {
                @Override
                public LuaValue call() {
                    return LuaValue.valueOf(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9);
                }
            });
            globals.rawset("os", os);
            LuaTable meta = new LuaTable();
            meta.rawset("__newindex", new TwoArgFunction() {
                @Override
                public LuaValue call(LuaValue t, LuaValue k) {
                    throw new LuaError("Attempt to modify a readonly table");
                }
            });
            meta.rawset("__index", new TwoArgFunction() {
                @Override
                public LuaValue call(LuaValue t, LuaValue k) {
                    throw new LuaError("Script attempted to access nonexistent global variable '" + k.tojstring() + "'");
                }
            });
            globals.setmetatable(meta);
        }

        /**
         * What Lua 5.1 (Redis's Lua) has and LuaJ's 5.2 library lacks or adds: scripts written
         * for Redis call table.getn, math.mod, string.gfind, gcinfo..., print numbers with
         * %.14g and format them with C's printf; rawlen, table.pack and table.unpack do not exist.
         */
        private void lua51() {
            LuaValue table = globals.get("table");
            LuaValue math = globals.get("math");
            LuaValue string = globals.get("string");
            table.rawset("getn", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue t) {
                    return LuaValue.valueOf(t.checktable().rawlen());
                }
            });
            table.rawset("maxn", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue t) {
                    double max = 0;
                    LuaTable tt = t.checktable();
                    for (Varargs e = tt.next(LuaValue.NIL); !e.arg1().isnil(); e = tt.next(e.arg1())) {
                        if (e.arg1().type() == LuaValue.TNUMBER) {
                            max = Math.max(max, e.arg1().todouble());
                        }
                    }
                    return LuaValue.valueOf(max);
                }
            });
            table.rawset("foreach", new TwoArgFunction() {
                @Override
                public LuaValue call(LuaValue t, LuaValue f) {
                    LuaTable tt = t.checktable();
                    for (Varargs e = tt.next(LuaValue.NIL); !e.arg1().isnil(); e = tt.next(e.arg1())) {
                        LuaValue r = f.call(e.arg1(), e.arg(2));
                        if (!r.isnil()) {
                            return r;
                        }
                    }
                    return LuaValue.NIL;
                }
            });
            table.rawset("foreachi", new TwoArgFunction() {
                @Override
                public LuaValue call(LuaValue t, LuaValue f) {
                    LuaTable tt = t.checktable();
                    for (int i = 1, n = tt.rawlen(); i <= n; i++) {
                        LuaValue r = f.call(LuaValue.valueOf(i), tt.rawget(i));
                        if (!r.isnil()) {
                            return r;
                        }
                    }
                    return LuaValue.NIL;
                }
            });
            table.rawset("pack", LuaValue.NIL);
            table.rawset("unpack", LuaValue.NIL);
            globals.rawset("rawlen", LuaValue.NIL);
            math.rawset("mod", math.get("fmod"));
            math.rawset("log10", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue x) {
                    return LuaValue.valueOf(Math.log10(x.checkdouble()));
                }
            });
            string.rawset("gfind", string.get("gmatch"));
            string.rawset("format", new StringFormat());
            LuaValue tostring = globals.get("tostring");
            globals.rawset("tostring", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue v) {
                    return v.type() == LuaValue.TNUMBER ? LuaValue.valueOf(numberText(v.todouble())) : tostring.call(v);
                }
            });
            globals.rawset("gcinfo", new org.luaj.vm2.lib.ZeroArgFunction() {
                @Override
                public LuaValue call() {
                    Runtime r = Runtime.getRuntime();
                    return LuaValue.valueOf((r.totalMemory() - r.freeMemory()) / 1024);
                }
            });
            globals.rawset("collectgarbage", new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs a) {
                    // The JVM collects on its own: "count" reports the heap in use, the rest do nothing.
                    if (a.optjstring(1, "collect").equals("count")) {
                        Runtime r = Runtime.getRuntime();
                        return LuaValue.valueOf((r.totalMemory() - r.freeMemory()) / 1024.0);
                    }
                    return LuaValue.valueOf(0);
                }
            });
        }

        private LuaTable redisTable() {
            LuaTable redis = new LuaTable();
            redis.rawset("call", new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs a) {
                    Object reply = command(a);
                    if (reply instanceof Replies.Error e) {
                        throw new CallError(tableWith("err", e.text()));
                    }
                    return toLua(reply, resp == 3);
                }
            });
            redis.rawset("pcall", new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs a) {
                    return toLua(command(a), resp == 3);
                }
            });
            redis.rawset("error_reply", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue msg) {
                    String text = msg.checkjstring();
                    return tableWith("err", text.startsWith("-") ? text.substring(1) : text);
                }
            });
            redis.rawset("status_reply", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue msg) {
                    return tableWith("ok", msg.checkjstring());
                }
            });
            redis.rawset("sha1hex", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue s) {
                    LuaString str = s.checkstring();
                    byte[] b = new byte[str.m_length];
                    System.arraycopy(str.m_bytes, str.m_offset, b, 0, b.length);
                    return LuaValue.valueOf(sha1(b));
                }
            });
            redis.rawset("log", new TwoArgFunction() {
                @Override
                public LuaValue call(LuaValue level, LuaValue msg) {
                    LOG.info("script log [{}]: {}", level.optint(1), msg.tojstring());
                    return NONE.arg1();
                }
            });
            redis.rawset("register_function", new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs a) {
                    registerFunction(a);
                    return NONE;
                }
            });
            redis.rawset("setresp", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue v) {
                    int resp = v.checkint();
                    if (resp != 2 && resp != 3) {
                        throw new LuaError(tableWith("err", "ERR RESP version must be 2 or 3."));
                    }
                    State.this.resp = resp;
                    return NONE.arg1();
                }
            });
            redis.rawset("set_repl", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue v) {
                    int flags = v.checkint();
                    if (flags < 0 || flags > 3) {
                        throw new LuaError(tableWith("err",
                                "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."));
                    }
                    return NONE.arg1(); // no replicas and no AOF to choose between: accepted
                }
            });
            redis.rawset("replicate_commands", new org.luaj.vm2.lib.ZeroArgFunction() {
                @Override
                public LuaValue call() {
                    return LuaValue.TRUE; // effects replication is the only mode since Redis 7
                }
            });
            redis.rawset("breakpoint", new org.luaj.vm2.lib.ZeroArgFunction() {
                @Override
                public LuaValue call() {
                    return LuaValue.FALSE; // no debugger session
                }
            });
            redis.rawset("debug", new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs a) {
                    return NONE;
                }
            });
            redis.rawset("REPL_NONE", LuaValue.valueOf(0));
            redis.rawset("REPL_AOF", LuaValue.valueOf(1));
            redis.rawset("REPL_SLAVE", LuaValue.valueOf(2));
            redis.rawset("REPL_REPLICA", LuaValue.valueOf(2));
            redis.rawset("REPL_ALL", LuaValue.valueOf(3));
            redis.rawset("REDIS_VERSION", LuaValue.valueOf("7.2.0"));
            redis.rawset("REDIS_VERSION_NUM", LuaValue.valueOf(0x070200));
            redis.rawset("LOG_DEBUG", LuaValue.valueOf(0));
            redis.rawset("LOG_VERBOSE", LuaValue.valueOf(1));
            redis.rawset("LOG_NOTICE", LuaValue.valueOf(2));
            redis.rawset("LOG_WARNING", LuaValue.valueOf(3));
            return redis;
        }

        /** redis.register_function(name, callback) or redis.register_function{function_name=, callback=, flags=, description=}. */
        private void registerFunction(Varargs a) {
            if (registering == null) {
                throw new LuaError(tableWith("err", "ERR redis.register_function can only be called on FUNCTION LOAD command"));
            }
            LuaValue name;
            LuaValue callback;
            LuaValue flags = LuaValue.NIL;
            LuaValue description = LuaValue.NIL;
            if (a.narg() == 1 && a.arg1().istable()) {
                LuaTable t = a.arg1().checktable();
                for (LuaValue k : t.keys()) {
                    String key = k.tojstring();
                    if (!java.util.Set.of("function_name", "callback", "flags", "description").contains(key)) {
                        throw new LuaError("unknown argument given to redis.register_function");
                    }
                }
                name = t.get("function_name");
                callback = t.get("callback");
                flags = t.get("flags");
                description = t.get("description");
            } else if (a.narg() == 2) {
                name = a.arg1();
                callback = a.arg(2);
            } else {
                throw new LuaError("wrong number of arguments to redis.register_function");
            }
            if (name.type() != LuaValue.TSTRING) {
                throw new LuaError("function_name argument given to redis.register_function must be a string");
            }
            if (!callback.isfunction()) {
                throw new LuaError("callback argument given to redis.register_function must be a function");
            }
            String fn = name.tojstring();
            if (!NAME.matcher(fn).matches()) {
                throw new LuaError("Function names can only contain letters, numbers, or underscores(_) and must be at "
                        + "least one character long");
            }
            java.util.Set<String> flagSet = new java.util.TreeSet<>(java.util.Comparator.comparingInt(FLAG_ORDER::indexOf));
            if (!flags.isnil()) {
                if (!flags.istable()) {
                    throw new LuaError("flags argument to redis.register_function must be a table representing function flags");
                }
                for (LuaValue k : flags.checktable().keys()) {
                    String flag = flags.get(k).tojstring();
                    if (!FLAGS.contains(flag)) {
                        throw new LuaError("unknown flag given");
                    }
                    flagSet.add(flag);
                }
            }
            if (!description.isnil() && description.type() != LuaValue.TSTRING) {
                throw new LuaError("description argument given to redis.register_function must be a string");
            }
            if (registering.containsKey(fn)) {
                throw new LuaError("Function already exists in the library");
            }
            registering.put(fn, new Registered(new FunctionInfo(fn, registeringLibrary,
                    description.isnil() ? null : description.tojstring(), java.util.Collections.unmodifiableSet(flagSet)), callback));
        }

        /** Runs one redis.call / redis.pcall: arguments must be strings or numbers, as in Redis. */
        private Object command(Varargs a) {
            if (registering != null) {
                throw new LuaError("attempt to call field 'call' (a nil value)"); // as while Redis loads a library
            }
            if (a.narg() == 0) {
                return new Replies.Error("ERR Please specify at least one argument for this redis lib call");
            }
            List<byte[]> args = new ArrayList<>(a.narg());
            for (int i = 1; i <= a.narg(); i++) {
                LuaValue v = a.arg(i);
                if (v.type() == LuaValue.TNUMBER) {
                    args.add(numberText(v.todouble()).getBytes(StandardCharsets.US_ASCII));
                } else if (v.type() == LuaValue.TSTRING) {
                    LuaString s = v.checkstring();
                    byte[] b = new byte[s.m_length];
                    System.arraycopy(s.m_bytes, s.m_offset, b, 0, b.length);
                    args.add(b);
                } else {
                    return new Replies.Error("ERR Lua redis lib command arguments must be strings or integers");
                }
            }
            try {
                return caller.call(args, resp);
            } catch (RuntimeException e) {
                return new Replies.Error("ERR " + e.getMessage());
            }
        }
    }

    /** Lua 5.1's number-to-string (%.14g). */
    private static String numberText(double d) {
        return CJson.formatG(d, 14);
    }
}
