package io.couloy.server.monitor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SLOWLOG: the latest commands that ran at least {@code slowlog-log-slower-than} microseconds,
 * newest first, at most {@code slowlog-max-len} of them. Arguments are kept as Redis keeps them:
 * at most 32 (the last one saying how many more there were), each cut at 128 bytes.
 */
public final class SlowLog {
    static final int MAX_ARGS = 32;
    static final int MAX_STRING = 128;

    /** One slow command. */
    public record Entry(long id, long unixSeconds, long micros, List<byte[]> args, String client, String clientName) {}

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    public synchronized void add(List<byte[]> args, long micros, String client, String clientName, int maxLen) {
        entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, micros, shorten(args), client, clientName));
        while (entries.size() > Math.max(0, maxLen)) {
            entries.removeLast();
        }
    }

    /** The newest {@code count} entries (all when count is -1). */
    public synchronized List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (count >= 0 && out.size() >= count) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized void reset() {
        entries.clear();
    }

    private static List<byte[]> shorten(List<byte[]> args) {
        int n = Math.min(args.size(), MAX_ARGS);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (n != args.size() && i == n - 1) {
                out.add(("... (" + (args.size() - n + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII));
            } else if (args.get(i).length > MAX_STRING) {
                byte[] a = args.get(i);
                byte[] more = ("... (" + (a.length - MAX_STRING) + " more bytes)").getBytes(StandardCharsets.US_ASCII);
                byte[] cut = Arrays.copyOf(a, MAX_STRING + more.length);
                System.arraycopy(more, 0, cut, MAX_STRING, more.length);
                out.add(cut);
            } else {
                out.add(args.get(i));
            }
        }
        return out;
    }
}
