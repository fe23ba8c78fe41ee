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

    /**
     * As {@link #call(List)}, with the protocol the script chose by {@code redis.setresp}: under
     * 3 the reply may hold RESP3 values (maps, sets, doubles, booleans). By default the RESP2 reply.
     */
    default Object call(List<byte[]> args, int resp) {
        return call(args);
    }

    /**
     * Called between the script's instructions about every {@link LuaSandbox#PULSE_MILLIS} ms
     * while it runs (not while a {@code redis.call} runs): a server running the script on its
     * network thread answers its other clients here once the script is busy, as Redis's
     * processEventsWhileBlocked does. It must not throw. By default nothing.
     */
    default void whileRunning() {}
}
