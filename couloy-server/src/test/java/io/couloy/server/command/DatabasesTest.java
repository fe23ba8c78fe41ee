package io.couloy.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SWAPDB on disk, and its roll-forward after a crash at each step. */
class DatabasesTest {
    @TempDir
    Path dir;

    private Databases open() {
        return new Databases(ServerConfig.defaults().with("dir", dir.toString()).with("data-file-size", "1mb"), (i, db) -> { });
    }

    private void fill() {
        try (Databases d = open()) {
            d.get(0).put(b("k"), b("zero"));
            d.get(1).put(b("k"), b("one"));
        }
    }

    private void assertSwapped() throws java.io.IOException {
        try (Databases d = open()) {
            assertThat(new String(d.get(0).get(b("k")), StandardCharsets.UTF_8)).isEqualTo("one");
            assertThat(new String(d.get(1).get(b("k")), StandardCharsets.UTF_8)).isEqualTo("zero");
        }
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("db0", "db1");
        }
    }

    @Test
    void swap_exchangesTheData_andSurvivesRestart() throws Exception {
        fill();
        try (Databases d = open()) {
            d.get(0);
            d.swap(0, 1);
            assertThat(new String(d.get(0).get(b("k")), StandardCharsets.UTF_8)).isEqualTo("one");
        }
        assertSwapped();
    }

    @Test
    void crashAfterTheFirstRename_isRolledForward() throws Exception {
        fill();
        Files.move(dir.resolve("db0"), dir.resolve("db0.swap-to-1"));
        assertSwapped();
    }

    @Test
    void crashAfterTheSecondRename_isRolledForward() throws Exception {
        fill();
        Files.move(dir.resolve("db0"), dir.resolve("db0.swap-to-1"));
        Files.move(dir.resolve("db1"), dir.resolve("db0"));
        assertSwapped();
    }

    @Test
    void swapWithANeverUsedDatabase_movesTheDataOver() {
        try (Databases d = open()) {
            d.get(0).put(b("k"), b("zero"));
            d.swap(0, 5);
            assertThat(d.get(0).get(b("k"))).isNull();
            assertThat(new String(d.get(5).get(b("k")), StandardCharsets.UTF_8)).isEqualTo("zero");
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
