package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagSetTest {
    private enum Kind { sqlite, memory }

    /** The values the flags of {@link #flags} write. */
    private static final class Values {
        String name = "default";
        int port = 6443;
        long ttl = 30;
        Kind kind = Kind.sqlite;
        boolean on;
        boolean dns = true;
        String server;
        final List<String> list = new ArrayList<>();
    }

    private static FlagSet flags(Values v) {
        return new FlagSet()
                .string("--name NAME", "A name.", v.name, s -> v.name = s)
                .integer("--port", "A port.", v.port, -1, 65535, n -> v.port = n)
                .longInteger("--ttl", "A TTL.", v.ttl, n -> v.ttl = n)
                .choice("--kind", "A kind.", v.kind, Kind.class, k -> v.kind = k)
                .flag("--on", "A switch.", () -> v.on = true)
                .toggle("--dns", "A toggle.", b -> v.dns = b)
                .string("--item ITEM", "Repeatable.", null, v.list::add);
    }

    private static Values parse(String... args) throws FlagSet.UsageException {
        Values v = new Values();
        assertThat(flags(v).parse(List.of(args))).isEqualTo(FlagSet.Request.RUN);
        return v;
    }

    @Test
    void valuesComeAfterTheFlagOrAfterAnEqualsSign() throws Exception {
        Values v = parse("--name", "a", "--port=7000", "--ttl", "5", "--kind=memory", "--on", "--no-dns");
        assertThat(v.name).isEqualTo("a");
        assertThat(v.port).isEqualTo(7000);
        assertThat(v.ttl).isEqualTo(5);
        assertThat(v.kind).isEqualTo(Kind.memory);
        assertThat(v.on).isTrue();
        assertThat(v.dns).isFalse();
    }

    @Test
    void unsetFlagsKeepTheirDefaultsAndALaterFlagWins() throws Exception {
        Values v = parse("--port", "1", "--port", "2", "--item", "x", "--item=y", "--name=");
        assertThat(v.port).isEqualTo(2);
        assertThat(v.list).containsExactly("x", "y");
        assertThat(v.name).isEmpty();
        assertThat(v.kind).isEqualTo(Kind.sqlite);
        assertThat(v.dns).isTrue();
        assertThat(v.on).isFalse();
    }

    @Test
    void aValueMayStartWithDashes() throws Exception {
        assertThat(parse("--name", "--port").name).isEqualTo("--port");
        assertThat(parse("--port", "-1").port).isEqualTo(-1);
    }

    @Test
    void badCommandLinesAreRefusedInOneLineNamingTheFlag() {
        assertRefused("unknown flag --nope", "--nope");
        assertRefused("unknown flag --nope", "--nope=1");
        assertRefused("unexpected argument 'extra'", "--on", "extra");
        assertRefused("unexpected argument '-p'", "-p");
        assertRefused("unexpected argument '--'", "--");
        assertRefused("--port needs a value (N)", "--port");
        assertRefused("--port must be a whole number from -1 to 65535, got 'x'", "--port", "x");
        assertRefused("--port must be a whole number from -1 to 65535, got '65536'", "--port", "65536");
        assertRefused("--port must be a whole number from -1 to 65535, got '-2'", "--port", "-2");
        assertRefused("--ttl must be a whole number, got '1.5'", "--ttl", "1.5");
        assertRefused("--kind must be one of sqlite, memory, got etcd", "--kind", "etcd");
        assertRefused("--kind must be one of sqlite, memory, got nothing", "--kind=");
        assertRefused("--on takes no value, got 'yes'", "--on=yes");
        assertRefused("--no-dns takes no value, got 'false'", "--no-dns=false");
    }

    @Test
    void aRequiredFlagMustBeGiven() throws Exception {
        String[] server = new String[1];
        FlagSet flags = new FlagSet().required("--server URL", "The server.", s -> server[0] = s);
        assertThatThrownBy(() -> flags.parse(List.of())).isInstanceOf(FlagSet.UsageException.class)
                .hasMessage("missing --server URL");
        assertThat(flags.parse(List.of("--server", "http://x"))).isEqualTo(FlagSet.Request.RUN);
        assertThat(server[0]).isEqualTo("http://x");
    }

    @Test
    void helpAndVersionEndParsingWhereAFlagMayStand() throws Exception {
        FlagSet required = new FlagSet().required("--server URL", "The server.", s -> { });
        assertThat(required.parse(List.of("--help"))).isEqualTo(FlagSet.Request.HELP);
        assertThat(required.parse(List.of("-h"))).isEqualTo(FlagSet.Request.HELP);
        assertThat(required.parse(List.of("--version"))).isEqualTo(FlagSet.Request.VERSION);
        assertThat(required.parse(List.of("-V"))).isEqualTo(FlagSet.Request.VERSION);
        assertThat(required.parse(List.of("--server", "-h"))).isEqualTo(FlagSet.Request.RUN);
    }

    @Test
    void helpListsEveryFlagWithItsLabelAndDefault() {
        String help = flags(new Values()).help(60);
        assertThat(help).contains("  --name NAME\n      A name (default: default).\n");
        assertThat(help).contains("  --port N\n      A port (default: 6443).\n");
        assertThat(help).contains("  --kind sqlite|memory\n      A kind (default: sqlite).\n");
        assertThat(help).contains("  --on\n      A switch.\n");
        assertThat(help).contains("  --[no-]dns\n      A toggle.\n");
        assertThat(help).contains("  --item ITEM\n      Repeatable.\n");
        assertThat(help).contains("  -h, --help\n").contains("  -V, --version\n");
        assertThat(help.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(60));
    }

    private static void assertRefused(String message, String... args) {
        assertThatThrownBy(() -> flags(new Values()).parse(List.of(args)))
                .isInstanceOf(FlagSet.UsageException.class).hasMessage(message);
    }
}
