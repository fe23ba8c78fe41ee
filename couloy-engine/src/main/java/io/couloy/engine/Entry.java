package io.couloy.engine;

/** A key and its value as an iterator returns them; {@code value} is null for keys-only scans. */
public record Entry(byte[] key, byte[] value) {}
