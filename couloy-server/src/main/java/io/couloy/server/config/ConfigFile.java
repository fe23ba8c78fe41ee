package io.couloy.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a config file in redis.conf syntax: one "name value ..." per line, # comments, quoted
 * values. Settings the server does not know are reported, not silently dropped.
 */
public final class ConfigFile {
    private ConfigFile() {}

    /** Applies the file's settings to {@code base}; returns the result and the lines it ignored. */
    public static Result apply(Path file, ServerConfig base) throws IOException {
        ServerConfig c = base;
        List<String> ignored = new ArrayList<>();
        int n = 0;
        for (String raw : Files.readAllLines(file)) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            String name = parts[0].toLowerCase(java.util.Locale.ROOT);
            String value = parts.length > 1 ? unquote(parts[1].strip()) : "";
            try {
                c = c.with(name, value);
            } catch (IllegalArgumentException e) {
                ignored.add(file + ":" + n + ": " + line + " (" + e.getMessage() + ")");
            }
        }
        return new Result(c, ignored);
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    public record Result(ServerConfig config, List<String> ignored) {}
}
