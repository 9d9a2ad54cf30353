package dev.ferry.dns;

import dev.ferry.client.SharedInformers;
import dev.ferry.dns.server.DnsMetrics;
import dev.ferry.dns.server.DnsServer;
import dev.ferry.dns.server.DnsServerConfig;
import dev.ferry.dns.server.Forwarder;
import dev.ferry.dns.server.ForwarderConfig;
import dev.ferry.dns.zone.ClusterZone;
import dev.ferry.dns.zone.ZoneConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The cluster DNS: an authoritative server for the cluster zone, fed by the Service, EndpointSlice and Pod informers,
 * forwarding other names to the upstream resolvers. {@link #start} returns once it answers from synced caches.
 */
public final class ClusterDns implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterDns.class);

    private final ClusterZone zone;
    private final List<AutoCloseable> parts = new ArrayList<>();
    private DnsServer server;
    private DnsHttpServer http;

    private ClusterDns(ClusterZone zone) {
        this.zone = zone;
    }

    /**
     * Serves {@code config.zone()} from {@code informers}' caches on {@code config.listen()}; creates the
     * {@code kube-dns} Service when asked to. Throws when an address cannot be bound, with the reason and the fix.
     */
    public static ClusterDns start(SharedInformers informers, DnsConfig config, Clock clock) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        ClusterZone zone = new ClusterZone(new ZoneConfig(absolute(config.zone()), config.ttlSeconds(),
                List.of(config.serviceIp())), clock);
        ClusterDns dns = new ClusterDns(zone);
        try {
            ZoneFeeder feeder = new ZoneFeeder(zone, clock, registry);
            informers.prefetch(Service.class, EndpointSlice.class, Pod.class);
            SharedIndexInformer<Service> services = informers.get(Service.class);
            SharedIndexInformer<EndpointSlice> slices = informers.get(EndpointSlice.class);
            SharedIndexInformer<Pod> pods = informers.get(Pod.class);
            services.addEventHandler(feeder.services());
            slices.addEventHandler(feeder.slices());
            pods.addEventHandler(feeder.pods());
            // the handlers replay the caches asynchronously: read them now so the first answer is complete
            services.getStore().list().forEach(s -> feeder.onService(s, false));
            slices.getStore().list().forEach(s -> feeder.onSlice(s, false));
            pods.getStore().list().forEach(p -> feeder.onPod(p, false));

            DnsMetrics metrics = new DnsMetrics(registry);
            Forwarder forwarder = null;
            List<InetSocketAddress> upstreams = Forwarder.withoutSelf(config.upstreams(), config.listen());
            if (!upstreams.isEmpty()) {
                forwarder = Forwarder.start(ForwarderConfig.defaults(upstreams), clock, metrics);
                dns.parts.add(forwarder);
            }
            dns.server = DnsServer.start(DnsServerConfig.defaults(config.listen()), zone, forwarder, metrics);
            dns.parts.add(dns.server);
            log.info("cluster DNS for {} on {} (UDP and TCP), upstreams {}", config.zone(), dns.server.udpAddresses(),
                    upstreams.isEmpty() ? "none (other names are refused)" : upstreams);
            if (config.httpBind() != null) {
                dns.http = new DnsHttpServer(config.httpBind(), registry);
                dns.parts.add(dns.http);
            }
        } catch (IOException | RuntimeException e) {
            dns.close();
            throw e;
        }
        if (config.ensureService()) {
            InetSocketAddress first = config.listen().getFirst();
            Thread.ofPlatform().daemon().name("kube-dns-service").start(() -> KubeDnsService.ensure(informers.client(),
                    first.getAddress().getHostAddress(), dns.server.udpAddresses().getFirst().getPort()));
        }
        return dns;
    }

    /** The addresses the server answers on over UDP (the ports bound, when 0 was asked for). */
    public List<InetSocketAddress> udpAddresses() {
        return server.udpAddresses();
    }

    /** The addresses the server answers on over TCP. */
    public List<InetSocketAddress> tcpAddresses() {
        return server.tcpAddresses();
    }

    /** Where {@code /metrics}, {@code /health} and {@code /ready} are served, or null. */
    public InetSocketAddress httpAddress() {
        return http == null ? null : http.address();
    }

    /** The zone being served (for in-process observers such as benchmarks). */
    public ClusterZone zone() {
        return zone;
    }

    private static Name absolute(String zone) {
        try {
            return Name.fromString(zone + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("cluster domain " + zone + " is not a DNS name: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                log.warn("stopping {}: {}", parts.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        parts.clear();
    }
}
