package io.couloy.engine.format;

/**
 * A record whose checksum matched but whose key or value does not decode as its type requires:
 * a bug, or damage the checksum did not catch. Recovery reports it and skips the record.
 */
public final class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message) {
        super(message);
    }
}
