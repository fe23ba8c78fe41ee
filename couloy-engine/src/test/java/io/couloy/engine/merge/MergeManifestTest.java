package io.couloy.engine.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeManifestTest {
    @TempDir
    Path dir;

    @Test
    void roundTrip_namesTheRun() {
        new MergeManifest(4, 9, List.of(4, 5)).write(dir);
        MergeManifest m = MergeManifest.read(dir);
        assertThat(m).isEqualTo(new MergeManifest(4, 9, List.of(4, 5)));
        assertThat(m.replaces(3)).isFalse();
        assertThat(m.replaces(4)).isTrue();
        assertThat(m.replaces(9)).isTrue();
        assertThat(m.replaces(10)).isFalse();
    }

    @Test
    void versionOne_meansFromTheFirstFile() throws IOException {
        String body = "couloydb-merge 1\n7\n1,2\n";
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("MERGE_DONE"), body + Long.toHexString(crc.getValue()) + "\n");
        assertThat(MergeManifest.read(dir)).isEqualTo(new MergeManifest(0, 7, List.of(1, 2)));
    }

    @Test
    void damaged_readsAsAbsent() throws IOException {
        new MergeManifest(4, 9, List.of(4)).write(dir);
        Path done = dir.resolve("MERGE_DONE");
        Files.writeString(done, Files.readString(done).replace("\n9\n", "\n8\n"));
        assertThat(MergeManifest.read(dir)).isNull();
    }
}
