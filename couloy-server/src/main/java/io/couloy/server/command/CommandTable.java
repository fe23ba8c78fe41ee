package io.couloy.server.command;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Every command the server knows, by lower-case name. Filled at start-up, then read-only. */
public final class CommandTable {
    private final Map<String, CommandSpec> byName = new LinkedHashMap<>();

    public void add(CommandSpec.Builder spec) {
        CommandSpec s = spec.build();
        if (byName.putIfAbsent(s.name(), s) != null) {
            throw new IllegalStateException("command declared twice: " + s.name());
        }
    }

    public CommandSpec get(String lowerCaseName) {
        return byName.get(lowerCaseName);
    }

    public CommandSpec lookup(byte[] name) {
        return byName.get(new String(name, java.nio.charset.StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
    }

    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(byName.values());
    }
}
