package io.couloy.engine.log;

import io.couloy.engine.StorageException;
import io.couloy.engine.format.HintCodec;
import io.couloy.engine.format.RecordType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes a hint file next to a data file as records are appended to it, into a temporary name;
 * {@link #seal()} adds the footer, syncs and renames it into place. Never synced before
 * sealing: a crash just discards the temporary file and recovery scans the data file instead.
 */
public final class HintWriter implements AutoCloseable {
    private static final int FLUSH_AT = 64 * 1024;

    private final Path tmp;
    private final Path target;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private byte[] buf = new byte[FLUSH_AT + 1024];
    private int len;
    private int entries;
    private boolean done;

    public HintWriter(Path tmp, Path target) {
        this.tmp = tmp;
        this.target = target;
        try {
            Files.deleteIfExists(tmp);
            this.channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StorageException(tmp, "create hint file", e);
        }
        HintCodec.writeHeader(buf);
        len = HintCodec.HEADER_SIZE;
    }

    /** Adds one entry; flushes to the file every 64 KiB. */
    public void add(RecordType type, long expiry, long offset, int size, byte[] key) {
        int need = HintCodec.MAX_ENTRY_HEADER + key.length;
        if (len + need > buf.length) {
            flush();
            if (need > buf.length) {
                buf = new byte[need + FLUSH_AT];
            }
        }
        len = HintCodec.writeEntry(buf, len, type, expiry, offset, size, key);
        entries++;
        if (len >= FLUSH_AT) {
            flush();
        }
    }

    private void flush() {
        crc.update(buf, 0, len);
        write(len);
        len = 0;
    }

    private void write(int n) {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
        try {
            while (bb.hasRemaining()) {
                channel.write(bb);
            }
        } catch (IOException e) {
            throw new StorageException(tmp, "write hint", e);
        }
    }

    /** Completes the hint: footer, fsync, atomic rename to its final name. */
    public void seal() {
        crc.update(buf, 0, len);
        if (len + HintCodec.FOOTER_SIZE > buf.length) {
            write(len);
            len = 0;
        }
        HintCodec.writeFooter(buf, len, entries, crc);
        write(len + HintCodec.FOOTER_SIZE);
        try {
            channel.force(true);
            channel.close();
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StorageException(target, "seal hint", e);
        }
        done = true;
    }

    /** Drops an unsealed hint. */
    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        try {
            channel.close();
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            throw new StorageException(tmp, "discard hint", e);
        }
    }
}
