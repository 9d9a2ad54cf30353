package dev.ferry.api.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The kubelet's TestParseResolvConf table (malformed lines are skipped here, not errors). */
class ResolvConfTest {
    static Stream<Arguments> files() {
        return Stream.of(
                row("", List.of(), List.of(), List.of()),
                row(" ", List.of(), List.of(), List.of()),
                row("\n", List.of(), List.of(), List.of()),
                row("\t\n\t", List.of(), List.of(), List.of()),
                row("#comment\n", List.of(), List.of(), List.of()),
                row(" #comment\n", List.of(), List.of(), List.of()),
                row("#comment\n#comment", List.of(), List.of(), List.of()),
                row("#comment\nnameserver", List.of(), List.of(), List.of()),
                row("#comment\nnameserver\nsearch", List.of(), List.of(), List.of()),
                row("#comment\nnameserver 1.2.3.4\nsearch", List.of("1.2.3.4"), List.of(), List.of()),
                row("nameserver 1.2.3.4", List.of("1.2.3.4"), List.of(), List.of()),
                row(" nameserver 1.2.3.4", List.of("1.2.3.4"), List.of(), List.of()),
                row("\tnameserver 1.2.3.4", List.of("1.2.3.4"), List.of(), List.of()),
                row("nameserver\t1.2.3.4", List.of("1.2.3.4"), List.of(), List.of()),
                row("nameserver \t 1.2.3.4", List.of("1.2.3.4"), List.of(), List.of()),
                row("nameserver 1.2.3.4\nnameserver 5.6.7.8", List.of("1.2.3.4", "5.6.7.8"), List.of(), List.of()),
                row("nameserver 1.2.3.4 #comment", List.of("1.2.3.4"), List.of(), List.of()),
                row("search ", List.of(), List.of(), List.of()),
                row("search foo", List.of(), List.of("foo"), List.of()),
                row("search foo bar", List.of(), List.of("foo", "bar"), List.of()),
                row("search foo. bar", List.of(), List.of("foo", "bar"), List.of()),
                row("search foo bar bat\n", List.of(), List.of("foo", "bar", "bat"), List.of()),
                row("search foo\nsearch bar", List.of(), List.of("bar"), List.of()),
                row("nameserver 1.2.3.4\nsearch foo bar", List.of("1.2.3.4"), List.of("foo", "bar"), List.of()),
                row("nameserver 1.2.3.4\nsearch foo\nnameserver 5.6.7.8\nsearch bar", List.of("1.2.3.4", "5.6.7.8"),
                        List.of("bar"), List.of()),
                row("#comment\nnameserver 1.2.3.4\n#comment\nsearch foo\ncomment", List.of("1.2.3.4"),
                        List.of("foo"), List.of()),
                row("options ", List.of(), List.of(), List.of()),
                row("options ndots:5 attempts:2", List.of(), List.of(), List.of("ndots:5", "attempts:2")),
                row("options ndots:1\noptions ndots:5 attempts:3", List.of(), List.of(),
                        List.of("ndots:5", "attempts:3")),
                row("nameserver 1.2.3.4\nsearch foo\nnameserver 5.6.7.8\nsearch bar\noptions ndots:5 attempts:4",
                        List.of("1.2.3.4", "5.6.7.8"), List.of("bar"), List.of("ndots:5", "attempts:4")),
                row("domain example.com\nsortlist 10.0.0.0\r\nnameserver 9.9.9.9\r\n", List.of("9.9.9.9"), List.of(),
                        List.of()));
    }

    private static Arguments row(String text, List<String> nameservers, List<String> searches, List<String> options) {
        return Arguments.of(text, nameservers, searches, options);
    }

    @ParameterizedTest
    @MethodSource("files")
    void parsesAsTheKubelet(String text, List<String> nameservers, List<String> searches, List<String> options) {
        assertThat(ResolvConf.parse(text)).isEqualTo(new ResolvConf(nameservers, searches, options));
    }

    @Test
    void rendersSearchThenNameserversThenOptions() {
        ResolvConf conf = new ResolvConf(List.of("127.96.0.10", "10.0.0.11"), List.of("ns.svc.cluster.local",
                "svc.cluster.local", "cluster.local"), List.of("ndots:5"));
        assertThat(conf.render()).isEqualTo("""
                search ns.svc.cluster.local svc.cluster.local cluster.local
                nameserver 127.96.0.10
                nameserver 10.0.0.11
                options ndots:5
                """);
        assertThat(ResolvConf.parse(conf.render())).isEqualTo(conf);
    }

    @Test
    void rendersNothingForAnEmptyConfig() {
        assertThat(ResolvConf.EMPTY.render()).isEmpty();
        assertThat(new ResolvConf(List.of("1.1.1.1"), List.of(), List.of()).render())
                .isEqualTo("nameserver 1.1.1.1\n");
    }

    @Test
    void upstreamsAreTheAddressLiteralsOnPort53(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("resolv.conf");
        Files.writeString(f, "nameserver 127.0.0.53\nnameserver dns.example.com\nnameserver ::1\n"
                + "nameserver 999.1.1.1\n");
        assertThat(ResolvConf.read(f).upstreams()).containsExactly(
                new InetSocketAddress(InetAddress.getByName("127.0.0.53"), 53),
                new InetSocketAddress(InetAddress.getByName("::1"), 53));
    }
}
