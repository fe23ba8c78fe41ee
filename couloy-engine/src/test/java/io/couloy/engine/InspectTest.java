package io.couloy.engine;

import static io.couloy.engine.Bytes.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.engine.tools.Inspect;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectTest {
    @TempDir
    Path dir;

    @Test
    void verify_passesAnIntactDirectory_andNamesADamagedRecord() throws IOException {
        try (CouloyDB db = CouloyDB.open(Options.builder(dir).dataFileSize(4096).build())) {
            for (int i = 0; i < 500; i++) {
                db.put(b("k" + i), b("value-" + i));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Inspect.verify(dir, new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("500 intact records");

        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("000000001.data").toFile(), "rw")) {
            f.seek(12);
            f.write(f.read() ^ 1);
        }
        out.reset();
        assertThat(Inspect.verify(dir, new PrintStream(out, true, StandardCharsets.UTF_8))).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("DAMAGED").contains("000000001.data offset 0");

        out.reset();
        assertThat(Inspect.dump(dir.resolve("000000002.data"), new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("PUT").contains("key=\"k");
    }
}
