package io.couloy.server.monitor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A command's arguments as SLOWLOG and MONITOR show them: passwords replaced, as Redis does. */
public final class ShownArgs {
    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    private ShownArgs() {}

    /** {@code args} with AUTH's arguments and HELLO's AUTH user and password redacted. */
    public static List<byte[]> of(String command, List<byte[]> args) {
        if (command.equals("auth")) {
            List<byte[]> out = new ArrayList<>(args.size());
            out.add(args.get(0));
            for (int i = 1; i < args.size(); i++) {
                out.add(REDACTED);
            }
            return out;
        }
        if (command.equals("hello")) {
            List<byte[]> out = new ArrayList<>(args);
            for (int i = 2; i + 2 < out.size(); i++) {
                if (new String(out.get(i), StandardCharsets.US_ASCII).equalsIgnoreCase("AUTH")) {
                    out.set(i + 1, REDACTED);
                    out.set(i + 2, REDACTED);
                    i += 2;
                }
            }
            return out;
        }
        return args;
    }
}
