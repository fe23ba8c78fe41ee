package io.couloy.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandStatsTest {
    @Test
    void subMicrosecondCallsAddUp() {
        CommandStats stats = new CommandStats();
        for (int i = 0; i < 3000; i++) {
            stats.record(600, i % 1000 == 0);
        }
        assertThat(stats.calls()).isEqualTo(3000);
        assertThat(stats.micros()).isEqualTo(1800); // 3000 x 0.6 us; per-call truncation would give 0
        assertThat(stats.failedCalls()).isEqualTo(3);
        stats.reset();
        assertThat(stats.calls()).isZero();
        assertThat(stats.micros()).isZero();
    }
}
