package dev.ferry.cli;

import dev.ferry.api.net.Cidr;
import dev.ferry.api.net.ResolvConf;
import dev.ferry.dns.DnsConfig;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Flags of the cluster DNS, which runs with the control plane ({@code up} and {@code server}). */
final class DnsOptions {
    static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    // picocli gives a negatable option's own name the opposite of the field's default: so the name is --no-dns
    @Option(names = "--no-dns", negatable = true, description = "Do not run the cluster DNS (--dns: run it, the "
            + "default).")
    boolean enabled = true;

    @Option(names = "--dns-address", description = "IP[:PORT] the cluster DNS listens on, over UDP and TCP; the "
            + "kube-dns Service gets this IP (default: the 10th address of --service-cluster-ip-range, port 53).")
    String address;

    @Option(names = "--dns-ttl", description = "TTL of the cluster zone's records, in seconds (default: "
            + "${DEFAULT-VALUE}).")
    long ttl = DnsConfig.DEFAULT_TTL_SECONDS;

    @Option(names = "--upstream", split = ",", description = "Resolvers for names outside the cluster zone: "
            + "IP[:PORT] list, 'host' (every nameserver of /etc/resolv.conf) or 'none' (refuse them) (default: the "
            + "loopback nameservers of /etc/resolv.conf, so that no query leaves the machine unless asked to).")
    List<String> upstreams;

    @Option(names = "--dns-metrics-port", description = "Port of the DNS server's /metrics, /health and /ready on "
            + "its address; 0 picks a free one, -1 turns it off (default: ${DEFAULT-VALUE}).")
    int metricsPort = 9153;

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
