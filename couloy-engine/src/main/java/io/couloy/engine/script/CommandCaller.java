package io.couloy.engine.script;

import java.util.List;

/**
 * What {@code redis.call} reaches: runs one command (name first) and returns its reply as
 * {@link Replies} describes, an error reply included. The engine's {@link EngineCommands} covers
 * the common commands; the server passes its full command table.
 */
@FunctionalInterface
public interface CommandCaller {
    Object call(List<byte[]> args);
}
