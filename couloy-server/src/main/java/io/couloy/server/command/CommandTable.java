package io.couloy.server.command;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Every command the server knows, by lower-case name. Filled at start-up, then read-only. */
public final class CommandTable {
    private final Map<String, CommandSpec> byName = new LinkedHashMap<>();
    /** Also by upper-case name, as clients send them, so most look-ups convert no case. */
    private final Map<String, CommandSpec> byUpperName = new java.util.HashMap<>();

    public void add(CommandSpec.Builder spec) {
        CommandSpec s = spec.build();
        if (byName.putIfAbsent(s.name(), s) != null) {
            throw new IllegalStateException("command declared twice: " + s.name());
        }
        byUpperName.put(s.name().toUpperCase(Locale.ROOT), s);
    }

    public CommandSpec get(String lowerCaseName) {
        return byName.get(lowerCaseName);
    }

    public CommandSpec lookup(byte[] name) {
        String s = new String(name, java.nio.charset.StandardCharsets.ISO_8859_1);
        CommandSpec spec = byUpperName.get(s);
        if (spec == null) {
            spec = byName.get(s);
        }
        return spec != null ? spec : byName.get(new String(name, java.nio.charset.StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
    }

    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(byName.values());
    }
}
