package io.couloy.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.server.commands.StringCommands;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Command names are found in any ASCII case, as Redis's strcasecmp finds them, and nothing else. */
class CommandTableTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void lookup_foldsAsciiCaseOnly() {
        CommandTable t = new CommandTable();
        StringCommands.register(t);
        io.couloy.server.commands.KeyCommands.register(t);
        for (CommandSpec spec : t.all()) {
            assertThat(t.lookup(b(spec.name()))).isSameAs(spec);
            assertThat(t.lookup(b(spec.name().toUpperCase(java.util.Locale.ROOT)))).isSameAs(spec);
        }
        assertThat(t.lookup(b("gEt"))).isSameAs(t.get("get"));
        assertThat(t.lookup(b("ge"))).isNull();
        assertThat(t.lookup(b("gett"))).isNull();
        assertThat(t.lookup(b(""))).isNull();
        assertThat(t.lookup(b("g\u00c5t"))).isNull();
        assertThat(t.lookup("\u212Aeys".getBytes(StandardCharsets.UTF_8))).as("no Unicode folding (Kelvin sign)").isNull();
    }
}
