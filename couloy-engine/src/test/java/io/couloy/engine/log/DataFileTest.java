package io.couloy.engine.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The active file's reads: from mapped chunks, the in-memory newest chunk, or the channel, always the bytes written. */
class DataFileTest {
    @TempDir
    Path dir;

    @Test
    void everyReadOfAGrowingFile_returnsTheBytesWritten_acrossChunks() {
        Random r = new Random(3);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        try (DataFile f = DataFile.create(dir, 1)) {
            f.append(new byte[100], 0, 100); // some bytes before the memory copy starts
            written.writeBytes(new byte[100]);
            while (written.size() < 3 * DataFile.CHUNK_SIZE + 12345) {
                byte[] rec = new byte[1 + r.nextInt(300_000)];
                r.nextBytes(rec);
                long at = f.append(rec, 0, rec.length);
                written.writeBytes(rec);
                f.mapWrittenChunks();
                // read back at once: the newest bytes come from the in-memory chunk
                byte[] back = new byte[rec.length];
                assertThat(f.readFully(at, back, 0, back.length)).isEqualTo(rec.length);
                assertThat(back).isEqualTo(rec);
                for (int i = 0; i < 20; i++) {
                    checkRange(f, written.toByteArray(), r);
                }
            }
        }
    }

    /**
     * Readers skip the checksum of tail bytes this process appended; the bytes the tail read back
     * from the file when it started are not among them, and what was appended after is.
     */
    @Test
    void tailBytes_tellWhatWasReadBackFromWhatWasAppendedHere() {
        try (DataFile f = DataFile.create(dir, 1)) {
            long early = f.append(new byte[100], 0, 100); // on disk before the tail starts
            f.mapWrittenChunks(); // starts the tail, reading those 100 bytes back
            long late = f.append(new byte[50], 0, 50);
            assertThat(f.tailBytes(early, 100).appendedHere()).isFalse();
            assertThat(f.tailBytes(early + 99, 1).appendedHere()).isFalse();
            assertThat(f.tailBytes(late, 50).appendedHere()).isTrue();
            assertThat(f.tailBytes(late, 50).at()).isEqualTo(100);
        }
    }

    private static void checkRange(DataFile f, byte[] all, Random r) {
        int len = 1 + r.nextInt(Math.min(all.length, 100_000));
        long at = r.nextInt(all.length - len + 1);
        byte[] got = new byte[len];
        assertThat(f.readFully(at, got, 0, len)).isEqualTo(len);
        assertThat(got).isEqualTo(java.util.Arrays.copyOfRange(all, (int) at, (int) at + len));
        MemorySegment slice = f.mappedSlice(at, len);
        if (slice != null) {
            assertThat(slice.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(got);
        }
    }
}
