package dev.ferry.proxy.plan;

import static dev.ferry.proxy.Fixtures.addr;
import static dev.ferry.proxy.Fixtures.ep;
import static dev.ferry.proxy.Fixtures.ip;
import static dev.ferry.proxy.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.Fixtures;
import dev.ferry.proxy.Fixtures.Svc;
import dev.ferry.proxy.model.EndpointInfo;
import dev.ferry.proxy.model.NodeDirectory;
import dev.ferry.proxy.model.ServicePortInfo;
import dev.ferry.proxy.route.Backend;
import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Protocol;
import dev.ferry.proxy.route.ServicePortName;
import dev.ferry.proxy.route.ServicePortState;
import dev.ferry.proxy.route.ServiceRoute;
import dev.ferry.proxy.route.ServiceRoute.Kind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ServiceRoutesTest {
    static final InetSocketAddress OUTSIDE = addr("127.9.9.9", 40000);
    private final AtomicLong clock = new AtomicLong();
    private final NodeDirectory nodes = NodeDirectory.of("node-a", List.of(
            node("node-a", "", "127.244.1.0/24", "127.77.1.1"),
            node("node-b", "", "127.244.2.0/24", "127.77.2.1")));
    private final Set<InetAddress> local = Set.of(ip("127.77.9.1"), ip("127.240.0.9"));
    private final RouteContext ctx = new RouteContext(nodes, List.of(ip("127.77.1.1"), ip("127.77.1.2")),
            local::contains, clock::get, 3);
    private final Map<ServicePortName, ServicePortState> states = new HashMap<>();
    private final Function<ServicePortName, ServicePortState> stateOf = n -> states.computeIfAbsent(n,
            x -> new ServicePortState());

    private static Frontend tcp(String ip, int port) {
        return new Frontend(ip(ip), port, Protocol.TCP);
    }

    private static Map<String, List<EndpointInfo>> endpoints(String portKey, Fixtures.Ep... eps) {
        return Map.of(portKey, Fixtures.infos(eps));
    }

    @Test
    void everyAddressOfAServicePortGetsAFrontend() {
        Svc svc = Svc.of("ns", "web", "127.96.0.10", 80).portName("http", Protocol.TCP)
                .clusterIps("127.96.0.10", "127.96.0.11").nodePort(30080)
                .externalIps("127.77.9.1", "127.77.9.2").lbIps("127.240.0.9", "127.240.0.10");
        Map<Frontend, ServiceRoute> routes = ServiceRoutes.build(List.of(svc.info()),
                endpoints("http/TCP", ep("127.244.1.10:8080").node("node-a")), ctx, stateOf);

        assertThat(routes.keySet()).containsExactlyInAnyOrder(
                tcp("127.96.0.10", 80), tcp("127.96.0.11", 80),
                tcp("127.77.1.1", 30080), tcp("127.77.1.2", 30080),
                tcp("127.77.9.1", 80),
                tcp("127.240.0.9", 80));
        assertThat(routes.get(tcp("127.96.0.10", 80)).kind()).isEqualTo(Kind.CLUSTER_IP);
        assertThat(routes.get(tcp("127.77.1.2", 30080)).kind()).isEqualTo(Kind.NODE_PORT);
        assertThat(routes.get(tcp("127.77.9.1", 80)).kind()).isEqualTo(Kind.EXTERNAL_IP);
        assertThat(routes.get(tcp("127.240.0.9", 80)).kind()).isEqualTo(Kind.LOAD_BALANCER);
        assertThat(routes.get(tcp("127.96.0.10", 80))).as("one route per kind")
                .isSameAs(routes.get(tcp("127.96.0.11", 80)));
        assertThat(routes.values()).allSatisfy(r -> assertThat(r.servicePort())
                .isEqualTo(new ServicePortName("ns", "web", "http", Protocol.TCP)));
    }

    @Test
    void routesSendToTheServicePortsEndpoints() {
        Svc svc = Svc.of("ns", "web", "127.96.0.10", 80).portName("http", Protocol.TCP).nodePort(30080);
        Map<Frontend, ServiceRoute> routes = ServiceRoutes.build(List.of(svc.info()),
                endpoints("http/TCP", ep("127.244.1.10:8080").node("node-a")), ctx, stateOf);
        for (ServiceRoute r : routes.values()) {
            assertThat(r.pick(OUTSIDE).candidates()).extracting(Backend::toString).containsExactly("127.244.1.10:8080");
        }
        assertThat(routes.get(tcp("127.77.1.2", 30080)).pick(OUTSIDE).source())
                .as("masquerade to the first node address").isEqualTo(ip("127.77.1.1"));
    }

    @Test
    void endpointsMatchedByPortNameAndProtocol() {
        Svc dnsUdp = Svc.of("ns", "dns", "127.96.0.53", 53).portName("dns", Protocol.UDP);
        Svc dnsTcp = Svc.of("ns", "dns", "127.96.0.53", 53).portName("dns-tcp", Protocol.TCP);
        Map<String, List<EndpointInfo>> eps = Map.of(
                "dns/UDP", Fixtures.infos(ep("127.244.1.10:5353")),
                "dns-tcp/TCP", Fixtures.infos(ep("127.244.1.11:5353")),
                "dns/TCP", Fixtures.infos(ep("127.244.1.12:5353")));
        Map<Frontend, ServiceRoute> routes = ServiceRoutes.build(List.of(dnsUdp.info(), dnsTcp.info()), eps, ctx,
                stateOf);

        Frontend udp = new Frontend(ip("127.96.0.53"), 53, Protocol.UDP);
        assertThat(routes.keySet()).containsExactlyInAnyOrder(udp, tcp("127.96.0.53", 53));
        assertThat(routes.get(udp).pick(OUTSIDE).candidates()).extracting(Backend::toString)
                .containsExactly("127.244.1.10:5353");
        assertThat(routes.get(tcp("127.96.0.53", 53)).pick(OUTSIDE).candidates()).extracting(Backend::toString)
                .containsExactly("127.244.1.11:5353");
    }

    @Test
    void noFrontendWithoutUsableEndpoints() {
        Svc empty = Svc.of("ns", "web", "127.96.0.10", 80).portName("a", Protocol.TCP).nodePort(30080);
        Svc notReady = Svc.of("ns", "web", "127.96.0.10", 81).portName("b", Protocol.TCP);
        Svc terminating = Svc.of("ns", "web", "127.96.0.10", 82).portName("c", Protocol.TCP);
        Svc ok = Svc.of("ns", "web", "127.96.0.10", 83).portName("d", Protocol.TCP);
        Map<String, List<EndpointInfo>> eps = Map.of(
                "b/TCP", Fixtures.infos(ep("127.244.1.10:8080").notReady()),
                "c/TCP", Fixtures.infos(ep("127.244.1.10:8080").servingTerminating()),
                "d/TCP", Fixtures.infos(ep("127.244.1.10:8080")));
        Map<Frontend, ServiceRoute> routes = ServiceRoutes.build(
                List.of(empty.info(), notReady.info(), terminating.info(), ok.info()), eps, ctx, stateOf);
        assertThat(routes.keySet()).containsExactlyInAnyOrder(tcp("127.96.0.10", 82), tcp("127.96.0.10", 83));
    }

    @Test
    void localPolicyFrontendsExistWhenEndpointsAreElsewhere() {
        // the frontend is served; a client that may not use remote endpoints is refused by the route
        Svc svc = Svc.of("ns", "web", "127.96.0.10", 80).itpLocal().etpLocal().nodePort(30080);
        Map<Frontend, ServiceRoute> routes = ServiceRoutes.build(List.of(svc.info()),
                endpoints("/TCP", ep("127.244.2.10:8080").node("node-b")), ctx, stateOf);
        assertThat(routes).containsKeys(tcp("127.96.0.10", 80), tcp("127.77.1.1", 30080));
        assertThat(routes.get(tcp("127.77.1.1", 30080)).pick(OUTSIDE).refused()).isTrue();
    }

    @Test
    void noNodePortFrontendsWithoutNodeIps() {
        RouteContext noIps = new RouteContext(nodes, List.of(), local::contains, clock::get, 3);
        Svc svc = Svc.of("ns", "web", "127.96.0.10", 80).nodePort(30080);
        Map<Frontend, ServiceRoute> routes = ServiceRoutes.build(List.of(svc.info()),
                endpoints("/TCP", ep("127.244.1.10:8080")), noIps, stateOf);
        assertThat(routes.keySet()).containsExactly(tcp("127.96.0.10", 80));
        assertThat(routes.get(tcp("127.96.0.10", 80)).pick(OUTSIDE).source()).isEqualTo(OUTSIDE.getAddress());
    }

    @Test
    void oneStatePerServicePortSharedByItsFrontends() {
        Svc http = Svc.of("ns", "web", "127.96.0.10", 80).portName("http", Protocol.TCP).nodePort(30080)
                .externalIps("127.77.9.1").affinity(Duration.ofHours(1));
        Svc admin = Svc.of("ns", "web", "127.96.0.10", 81).portName("admin", Protocol.TCP)
                .affinity(Duration.ofHours(1));
        Map<String, List<EndpointInfo>> eps = Map.of(
                "http/TCP", Fixtures.infos(ep("127.244.1.10:8080"), ep("127.244.1.11:8080"), ep("127.244.1.12:8080")),
                "admin/TCP", Fixtures.infos(ep("127.244.1.10:9090"), ep("127.244.1.11:9090"),
                        ep("127.244.1.12:9090")));
        Map<Frontend, ServiceRoute> routes = ServiceRoutes.build(List.of(http.info(), admin.info()), eps, ctx,
                stateOf);
        assertThat(states).containsOnlyKeys(http.info().name(), admin.info().name());

        ServiceRoute clusterIp = routes.get(tcp("127.96.0.10", 80));
        Backend pinned = new Backend(addr("127.244.1.12", 8080), "");
        clusterIp.connected(OUTSIDE, pinned);
        for (Frontend f : List.of(tcp("127.77.1.1", 30080), tcp("127.77.1.2", 30080), tcp("127.77.9.1", 80))) {
            assertThat(routes.get(f).pick(OUTSIDE).candidates().get(0)).as(f.toString()).isEqualTo(pinned);
        }
        // the other service port has its own affinity table
        ServiceRoute adminRoute = routes.get(tcp("127.96.0.10", 81));
        Backend first = adminRoute.pick(OUTSIDE).candidates().get(0);
        Backend second = adminRoute.pick(OUTSIDE).candidates().get(0);
        assertThat(first).isNotEqualTo(second);

        // a rebuild with the same states keeps the pin
        Map<Frontend, ServiceRoute> rebuilt = ServiceRoutes.build(List.of(http.info(), admin.info()), eps, ctx,
                stateOf);
        assertThat(rebuilt.get(tcp("127.77.9.1", 80)).pick(OUTSIDE).candidates().get(0)).isEqualTo(pinned);
    }

    @Test
    void emptyPortsBuildNothing() {
        assertThat(ServiceRoutes.build(List.<ServicePortInfo>of(), Map.of(), ctx, stateOf)).isEmpty();
    }
}
