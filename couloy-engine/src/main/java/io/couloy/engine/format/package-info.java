/**
 * Every on-disk byte layout, drawn above its codec: data records ({@link io.couloy.engine.format.RecordCodec}),
 * hint files ({@link io.couloy.engine.format.HintCodec}) and the directory's names and markers
 * ({@link io.couloy.engine.format.DirectoryFormat}). Pure functions over byte arrays; no I/O, no
 * shared state, so safe from any thread. Nothing outside this package computes an offset.
 */
package io.couloy.engine.format;
