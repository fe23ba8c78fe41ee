package io.couloy.engine.merge;

import io.couloy.engine.StorageException;
import io.couloy.engine.format.DirectoryFormat;
import io.couloy.engine.log.DataDirectory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The MERGE_DONE marker: its presence is a merge's commit point.
 *
 * <pre>
 * couloydb-merge 2\n
 * &lt;lowest input file id&gt;\n
 * &lt;highest input file id&gt;\n
 * &lt;output ids, comma separated&gt;\n
 * &lt;CRC32C of the lines above, hex&gt;\n
 * </pre>
 *
 * The inputs are every file with an id in [lowest, highest]: a merge takes a contiguous run of
 * ids, so the files it leaves out keep sorting wholly before or after its output. Version 1
 * (written by merges of every immutable file) lacks the lowest-id line and means "from the
 * first file". Written to a temporary name, synced, then renamed, so it is either whole or absent.
 */
record MergeManifest(int minInputId, int maxInputId, List<Integer> outputIds) {
    private static final String HEAD = "couloydb-merge 2\n";
    private static final String HEAD_V1 = "couloydb-merge 1\n";

    /** Whether file {@code id} was an input, so is replaced by the output (or deleted). */
    boolean replaces(int id) {
        return id >= minInputId && id <= maxInputId;
    }

    String body() {
        StringBuilder sb = new StringBuilder(HEAD).append(minInputId).append('\n').append(maxInputId).append('\n');
        for (int i = 0; i < outputIds.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(outputIds.get(i));
        }
        return sb.append('\n').toString();
    }

    private static String crc(String body) {
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    void write(Path mergeDir) {
        String text = body() + crc(body()) + "\n";
        Path tmp = mergeDir.resolve(DirectoryFormat.MERGE_DONE + ".tmp");
        Path done = mergeDir.resolve(DirectoryFormat.MERGE_DONE);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            throw new StorageException(tmp, "write merge manifest", e);
        }
        try {
            Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StorageException(done, "commit merge", e);
        }
        DataDirectory.fsync(mergeDir);
    }

    /** The manifest in {@code mergeDir}, or null if absent or not whole. */
    static MergeManifest read(Path mergeDir) {
        Path done = mergeDir.resolve(DirectoryFormat.MERGE_DONE);
        if (!Files.exists(done)) {
            return null;
        }
        try {
            String text = Files.readString(done, StandardCharsets.UTF_8);
            String[] lines = text.split("\n");
            boolean v1 = lines.length == 4 && (lines[0] + "\n").equals(HEAD_V1);
            if (!v1 && (lines.length != 5 || !(lines[0] + "\n").equals(HEAD))) {
                return null;
            }
            int crcLine = lines.length - 1;
            String body = String.join("\n", java.util.Arrays.copyOf(lines, crcLine)) + "\n";
            if (!crc(body).equals(lines[crcLine])) {
                return null;
            }
            List<Integer> ids = new ArrayList<>();
            for (String s : lines[crcLine - 1].split(",")) {
                if (!s.isEmpty()) {
                    ids.add(Integer.parseInt(s));
                }
            }
            int min = v1 ? 0 : Integer.parseInt(lines[1]);
            return new MergeManifest(min, Integer.parseInt(lines[crcLine - 2]), ids);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }
}
