package io.couloy.server.command;

import io.couloy.server.resp.Reply;
import java.util.List;

/** A command's code: parse the arguments, call the engine, build the reply. */
@FunctionalInterface
public interface Handler {
    Reply handle(Context ctx, List<byte[]> args);
}
