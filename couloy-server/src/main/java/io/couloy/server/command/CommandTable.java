package io.couloy.server.command;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Every command the server knows, by lower-case name. Filled at start-up, then read-only. */
public final class CommandTable {
    private final Map<String, CommandSpec> byName = new LinkedHashMap<>();
    /**
     * Also by name bytes, ASCII case folded (as Redis compares command names, strcasecmp), in an
     * open-addressing table: a look-up allocates nothing (a String per command before).
     */
    private CommandSpec[] slots = new CommandSpec[512];

    public void add(CommandSpec.Builder spec) {
        CommandSpec s = spec.build();
        if (byName.putIfAbsent(s.name(), s) != null) {
            throw new IllegalStateException("command declared twice: " + s.name());
        }
        if (byName.size() * 2 > slots.length) {
            CommandSpec[] old = slots;
            slots = new CommandSpec[old.length * 2];
            for (CommandSpec o : old) {
                if (o != null) {
                    insert(o);
                }
            }
        }
        insert(s);
    }

    private void insert(CommandSpec s) {
        byte[] name = s.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int mask = slots.length - 1;
        int i = hash(name) & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = s;
    }

    public CommandSpec get(String lowerCaseName) {
        return byName.get(lowerCaseName);
    }

    /** The command named {@code name} in any ASCII case, or null. */
    public CommandSpec lookup(byte[] name) {
        CommandSpec[] t = slots;
        int mask = t.length - 1;
        for (int i = hash(name) & mask; t[i] != null; i = (i + 1) & mask) {
            if (t[i].nameMatches(name)) {
                return t[i];
            }
        }
        return null;
    }

    private static int hash(byte[] name) {
        int h = 0;
        for (byte b : name) {
            h = 31 * h + fold(b);
        }
        return h ^ (h >>> 16);
    }

    static int fold(byte b) {
        return b >= 'A' && b <= 'Z' ? b | 0x20 : b;
    }

    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(byName.values());
    }
}
