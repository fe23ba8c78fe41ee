package io.couloy.server.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis's latency monitor: per event ("command", "fast-command"), the samples of at least
 * {@code latency-monitor-threshold} milliseconds, one per second (a second's worst), the latest
 * {@value #SAMPLES}, and the all-time worst.
 */
public final class LatencyMonitor {
    static final int SAMPLES = 160;

    /** One second's worst latency. */
    public record Sample(long unixSeconds, long millis) {}

    /** An event's samples, oldest first, and its worst ever. */
    public record Event(String name, List<Sample> samples, long max) {
        public Sample latest() {
            return samples.getLast();
        }
    }

    private final Map<String, List<Sample>> samples = new LinkedHashMap<>();
    private final Map<String, Long> max = new LinkedHashMap<>();

    /** Records {@code millis} for {@code event} now: a second already sampled keeps its worst. */
    public synchronized void record(String event, long millis) {
        long now = System.currentTimeMillis() / 1000;
        List<Sample> s = samples.computeIfAbsent(event, e -> new ArrayList<>());
        if (!s.isEmpty() && s.getLast().unixSeconds() == now) {
            if (millis > s.getLast().millis()) {
                s.set(s.size() - 1, new Sample(now, millis));
            }
        } else {
            s.add(new Sample(now, millis));
            if (s.size() > SAMPLES) {
                s.removeFirst();
            }
        }
        max.merge(event, millis, Math::max);
    }

    /** Every event with samples, in the order they were first seen. */
    public synchronized List<Event> events() {
        List<Event> out = new ArrayList<>();
        samples.forEach((name, s) -> out.add(new Event(name, List.copyOf(s), max.get(name))));
        return out;
    }

    /** The event's samples, or null if it has none. */
    public synchronized Event event(String name) {
        List<Sample> s = samples.get(name);
        return s == null ? null : new Event(name, List.copyOf(s), max.get(name));
    }

    /** Forgets {@code names} (all events if empty); returns how many had samples. */
    public synchronized int reset(List<String> names) {
        int n = 0;
        for (String name : names.isEmpty() ? List.copyOf(samples.keySet()) : names) {
            if (samples.remove(name) != null) {
                max.remove(name);
                n++;
            }
        }
        return n;
    }
}
