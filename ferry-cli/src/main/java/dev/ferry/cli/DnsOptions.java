package dev.ferry.cli;

import dev.ferry.api.net.Cidr;
import dev.ferry.api.net.ResolvConf;
import dev.ferry.dns.DnsConfig;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Flags of the cluster DNS, which runs with the control plane ({@code up} and {@code server}). */
final class DnsOptions {
    static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    boolean enabled = true;
    String address;
    long ttl = DnsConfig.DEFAULT_TTL_SECONDS;
    List<String> upstreams;
    int metricsPort = 9153;

    void declare(FlagSet flags) {
        flags.toggle("--dns", "Run the cluster DNS (the default); --no-dns: do not.", on -> enabled = on)
                .string("--dns-address IP[:PORT]", "Where the cluster DNS listens, over UDP and TCP; the kube-dns "
                        + "Service gets this IP (default: the 10th address of --service-cluster-ip-range, port 53).",
                        null, v -> address = v)
                .longInteger("--dns-ttl", "TTL of the cluster zone's records, in seconds.", ttl, v -> ttl = v)
                .string("--upstream RESOLVERS", "Resolvers for names outside the cluster zone: comma-separated "
                        + "IP[:PORT] list (the flag may be repeated), 'host' (every nameserver of /etc/resolv.conf) "
                        + "or 'none' (refuse them) (default: the loopback nameservers of /etc/resolv.conf, so that no "
                        + "query leaves the machine unless asked to).", null, v -> {
                            if (upstreams == null) {
                                upstreams = new ArrayList<>();
                            }
                            upstreams.addAll(Arrays.asList(v.split(",")));
                        })
                .integer("--dns-metrics-port", "Port of the DNS server's /metrics, /health and /ready on its address; "
                        + "0 picks a free one, -1 turns it off.", metricsPort, -1, 65535, v -> metricsPort = v);
    }

    /** The DNS server's address: {@code --dns-address}, else the 10th address of {@code serviceCidr}, port 53. */
    InetSocketAddress listen(String serviceCidr) {
        if (address == null) {
            String tenth = Cidr.parse(serviceCidr).addressAt(BigInteger.TEN);
            return new InetSocketAddress(Flags.inet("--service-cluster-ip-range", tenth), 53);
        }
        return Flags.socketAddress("--dns-address", address, 53);
    }

    DnsConfig config(String zone, String serviceCidr) {
        InetSocketAddress listen = listen(serviceCidr);
        return new DnsConfig(zone, ttl, List.of(listen), upstreams(),
                metricsPort < 0 ? null : new InetSocketAddress(listen.getAddress(), metricsPort), true);
    }

    /** The resolvers names outside the zone go to; see {@code --upstream}. */
    List<InetSocketAddress> upstreams() {
        if (upstreams == null || upstreams.isEmpty()) {
            return hostResolvers().stream().filter(a -> a.getAddress().isLoopbackAddress()).toList();
        }
        if (upstreams.size() == 1 && upstreams.getFirst().equals("none")) {
            return List.of();
        }
        if (upstreams.size() == 1 && upstreams.getFirst().equals("host")) {
            return hostResolvers();
        }
        return upstreams.stream().map(u -> Flags.socketAddress("--upstream", u, 53)).toList();
    }

    private static List<InetSocketAddress> hostResolvers() {
        try {
            return ResolvConf.read(HOST_RESOLV_CONF).upstreams();
        } catch (IOException e) {
            return List.of();
        }
    }
}
