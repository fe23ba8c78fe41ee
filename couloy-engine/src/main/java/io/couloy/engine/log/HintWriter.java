package io.couloy.engine.log;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a hint file next to a data file as records are appended to it, into a temporary name;
 * {@link #seal()} adds the footer, syncs and renames it into place. Never synced before
 * sealing: a crash just discards the temporary file and recovery scans the data file instead.
 *
 * <p>Never throws: hints are an optimisation, so a failure (a full disk) abandons the hint,
 * logs it once, and the next open rebuilds it from the data file. A write whose record reached
 * the data file must not fail because its hint entry could not be written.
 */
public final class HintWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HintWriter.class);
    private static final int FLUSH_AT = 64 * 1024;

    private final Path tmp;
    private final Path target;
    private final CRC32C crc = new CRC32C();
    private FileChannel channel;
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
            abandon("create", e);
        }
        HintCodec.writeHeader(buf);
        len = HintCodec.HEADER_SIZE;
    }

    /** Adds one entry for a record without a value in the hint; flushes to the file every 64 KiB. */
    public void add(RecordType type, long expiry, long offset, int size, byte[] key) {
        add(type, expiry, offset, size, key, null);
    }

    /** Adds one entry; {@code value} is kept only for types whose hint entries carry it. */
    public void add(RecordType type, long expiry, long offset, int size, byte[] key, byte[] value) {
        if (done) {
            return;
        }
        int need = HintCodec.maxEntrySize(type, key, value);
        if (len + need > buf.length) {
            flush();
            if (need > buf.length) {
                buf = new byte[need + FLUSH_AT];
            }
        }
        len = HintCodec.writeEntry(buf, len, type, expiry, offset, size, key, value);
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
        if (done) {
            return;
        }
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
        try {
            while (bb.hasRemaining()) {
                channel.write(bb);
            }
        } catch (IOException e) {
            abandon("write", e);
        }
    }

    /** Completes the hint: footer, fsync, atomic rename to its final name. */
    public void seal() {
        if (done) {
            return;
        }
        crc.update(buf, 0, len);
        if (len + HintCodec.FOOTER_SIZE > buf.length) {
            write(len);
            len = 0;
        }
        HintCodec.writeFooter(buf, len, entries, crc);
        write(len + HintCodec.FOOTER_SIZE);
        if (done) {
            return;
        }
        try {
            channel.force(true);
            channel.close();
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } catch (IOException e) {
            abandon("seal", e);
        }
    }

    private void abandon(String action, IOException cause) {
        LOG.warn("hint {} abandoned ({} failed: {}); it is rebuilt from the data file on the next open",
                target, action, cause.getMessage());
        done = true;
        discard();
    }

    private void discard() {
        try {
            if (channel != null) {
                channel.close();
            }
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // nothing more to do: a stray .hint.tmp is deleted on the next open
        }
    }

    /** Drops an unsealed hint. */
    @Override
    public void close() {
        if (!done) {
            done = true;
            discard();
        }
    }
}
