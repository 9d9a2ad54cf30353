package dev.ferry.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvConfTest {
    @Test
    void readsNameserversSearchAndOptions() throws Exception {
        ResolvConf c = ResolvConf.parse("""
                # generated
                domain example.com
                nameserver 127.0.0.53
                nameserver  ::1   # local
                nameserver fe80::1%eth0
                nameserver dns.example.com
                ; comment
                search svc.cluster.local cluster.local
                options ndots:5 timeout:1
                options edns0
                """);
        assertThat(c.nameservers()).containsExactly(InetAddress.getByName("127.0.0.53"), InetAddress.getByName("::1"),
                InetAddress.getByName("fe80::1%eth0"));
        assertThat(c.search()).containsExactly("svc.cluster.local", "cluster.local");
        assertThat(c.options()).containsExactly("ndots:5", "timeout:1", "edns0");
        assertThat(c.upstreams().getFirst().getPort()).isEqualTo(53);
    }

    @Test
    void theLastOfDomainAndSearchWins() {
        assertThat(ResolvConf.parse("search a b\ndomain c\n").search()).containsExactly("c");
        assertThat(ResolvConf.parse("domain c\nsearch a b\n").search()).containsExactly("a", "b");
        assertThat(ResolvConf.parse("").nameservers()).isEmpty();
        assertThat(ResolvConf.parse("nameserver\nnameserver 999.1.1.1\n").nameservers()).isEmpty();
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("resolv.conf");
        Files.writeString(f, "nameserver 127.0.0.1\n");
        assertThat(ResolvConf.read(f).nameservers()).isEqualTo(List.of(InetAddress.getByName("127.0.0.1")));
    }
}
