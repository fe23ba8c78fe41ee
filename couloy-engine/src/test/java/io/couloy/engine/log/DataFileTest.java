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

    /**
     * Deferred appends live only in the in-memory tail until written; they cross its pieces and
     * chunks, and what reaches the disk is exactly what was appended, in order.
     */
    @Test
    void deferredAppends_acrossTailPiecesAndChunks_readBackAndReachTheDisk() throws Exception {
        Random r = new Random(7);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        try (DataFile f = DataFile.create(dir, 1)) {
            f.mapWrittenChunks(); // starts the tail
            while (written.size() < 2 * DataFile.CHUNK_SIZE + 777) {
                byte[] rec = new byte[1 + r.nextInt(3 * DataFile.PIECE_SIZE / 2)];
                r.nextBytes(rec);
                long at = f.append(rec, 0, rec.length, true);
                assertThat(at).isEqualTo(written.size());
                written.writeBytes(rec);
                byte[] back = new byte[rec.length];
                assertThat(f.readFully(at, back, 0, back.length)).isEqualTo(rec.length);
                assertThat(back).isEqualTo(rec);
                DataFile.TailBytes inPlace = f.tailBytes(at, rec.length);
                if (inPlace != null) {
                    assertThat(java.util.Arrays.copyOfRange(inPlace.array(), inPlace.at(), inPlace.at() + rec.length)).isEqualTo(rec);
                }
                if (r.nextInt(4) == 0) {
                    f.writePending();
                    f.mapWrittenChunks();
                }
                for (int i = 0; i < 5; i++) {
                    checkRange(f, written.toByteArray(), r);
                }
            }
            f.writePending();
            assertThat(f.pendingLength()).isZero();
        }
        assertThat(java.nio.file.Files.readAllBytes(dir.resolve(io.couloy.engine.format.DirectoryFormat.dataName(1))))
                .isEqualTo(written.toByteArray());
    }

    @Test
    void tailBytes_areNullForARangeAcrossTwoPieces_whichReadFullyStillReads() {
        try (DataFile f = DataFile.create(dir, 1)) {
            f.mapWrittenChunks();
            byte[] rec = new byte[DataFile.PIECE_SIZE + 10];
            new Random(1).nextBytes(rec);
            f.append(rec, 0, rec.length);
            assertThat(f.tailBytes(DataFile.PIECE_SIZE - 5, 10)).isNull();
            assertThat(f.mappedSlice(DataFile.PIECE_SIZE - 5, 10)).isNull();
            assertThat(f.tailBytes(DataFile.PIECE_SIZE, 10).at()).isZero();
            byte[] back = new byte[10];
            assertThat(f.readFully(DataFile.PIECE_SIZE - 5, back, 0, 10)).isEqualTo(10);
            assertThat(back).isEqualTo(java.util.Arrays.copyOfRange(rec, DataFile.PIECE_SIZE - 5, DataFile.PIECE_SIZE + 5));
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
