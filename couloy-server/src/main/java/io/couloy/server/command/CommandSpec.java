package io.couloy.server.command;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * One command, declared as data, as Redis's src/commands/*.json declare them: from this come
 * dispatch, arity errors, COMMAND's replies and (later) ACL and cluster routing.
 *
 * @param name lower case
 * @param arity Redis's convention: n means exactly n arguments (name included), -n at least n
 * @param firstKey position of the first key (0: none), {@code lastKey} of the last (-1: the
 *     last argument), {@code step} between keys
 * @param stats its INFO commandstats counters, the one mutable part
 */
public record CommandSpec(String name, int arity, Set<Flag> flags, int firstKey, int lastKey, int step, String group,
        String summary, String since, String complexity, Handler handler, CommandStats stats) {

    public CommandSpec {
        name = name.toLowerCase(Locale.ROOT);
        flags = flags.isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(flags);
    }

    public boolean has(Flag f) {
        return flags.contains(f);
    }

    /** Whether {@code bytes} spell this command's name in any ASCII case. */
    public boolean nameMatches(byte[] bytes) {
        if (bytes.length != name.length()) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (CommandTable.fold(bytes[i]) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The key arguments of {@code args} by this command's key positions (none for commands that declare 0). */
    public java.util.List<byte[]> keysOf(java.util.List<byte[]> args) {
        java.util.List<byte[]> keys = new java.util.ArrayList<>();
        if (firstKey <= 0) {
            return keys;
        }
        int last = lastKey < 0 ? args.size() + lastKey : lastKey;
        for (int i = firstKey; i <= last && i < args.size(); i += Math.max(1, step)) {
            keys.add(args.get(i));
        }
        return keys;
    }

    /** Whether {@code argc} arguments (name included) satisfy the arity. */
    public boolean arityOk(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    /** A builder for the common case: {@code spec("get", 2, "string", handler).flags(...)}. */
    public static Builder of(String name, int arity, String group, Handler handler) {
        return new Builder(name, arity, group, handler);
    }

    public static final class Builder {
        private final String name;
        private final int arity;
        private final String group;
        private final Handler handler;
        private final EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
        private int firstKey;
        private int lastKey;
        private int step;
        private String summary = "";
        private String since = "1.0.0";
        private String complexity = "O(1)";

        private Builder(String name, int arity, String group, Handler handler) {
            this.name = name;
            this.arity = arity;
            this.group = group;
            this.handler = handler;
        }

        public Builder flags(Flag... fs) {
            for (Flag f : fs) {
                flags.add(f);
            }
            return this;
        }

        public Builder keys(int first, int last, int step) {
            this.firstKey = first;
            this.lastKey = last;
            this.step = step;
            return this;
        }

        public Builder doc(String summary, String since, String complexity) {
            this.summary = summary;
            this.since = since;
            this.complexity = complexity;
            return this;
        }

        public CommandSpec build() {
            return new CommandSpec(name, arity, flags, firstKey, lastKey, step, group, summary, since, complexity, handler,
                    new CommandStats());
        }
    }
}
