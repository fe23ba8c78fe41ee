package io.couloy.server.monitor;

import io.couloy.server.command.Client;
import io.couloy.server.resp.Reply;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * MONITOR: every command that runs is shown to the monitoring clients as Redis shows it,
 * {@code +1700000000.123456 [0 127.0.0.1:50000] "SET" "k" "v"} ({@code [0 lua]} for a script's
 * calls). Nothing is built while nobody monitors.
 */
public final class Monitors {
    private final CopyOnWriteArraySet<Client> monitors = new CopyOnWriteArraySet<>();

    public void add(Client c) {
        monitors.add(c);
    }

    public void remove(Client c) {
        monitors.remove(c);
    }

    public boolean isEmpty() {
        return monitors.isEmpty();
    }

    /** Shows a command that ran for {@code from}, in database {@code db}. */
    public void feed(Client from, boolean fromScript, int db, List<byte[]> args) {
        if (monitors.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        StringBuilder sb = new StringBuilder(64).append(now.getEpochSecond()).append('.')
                .append(String.format("%06d", now.getNano() / 1000)).append(" [").append(db).append(' ')
                .append(fromScript ? "lua" : from.addressText()).append(']');
        for (byte[] a : args) {
            sb.append(' ');
            quote(sb, a);
        }
        Reply line = new Reply.Simple(sb.toString());
        for (Client m : monitors) {
            m.push(line);
        }
    }

    /** Redis's sdscatrepr: printable bytes as they are, the rest escaped. */
    static void quote(StringBuilder sb, byte[] a) {
        sb.append('"');
        for (byte b : a) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        sb.append('"');
    }
}
