package io.couloy.engine;

import java.util.List;

/**
 * One step of a cursor scan over a collection's members: what it found, and the cursor to pass
 * next (0: the scan is complete).
 */
public record ScanStep<T>(long cursor, List<T> items) {}
