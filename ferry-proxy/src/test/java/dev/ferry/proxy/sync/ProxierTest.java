package dev.ferry.proxy.sync;

import static dev.ferry.proxy.Fixtures.addr;
import static dev.ferry.proxy.Fixtures.ip;
import static dev.ferry.proxy.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.proxy.model.EndpointSliceCache;
import dev.ferry.proxy.model.NodeDirectory;
import dev.ferry.proxy.model.ServicePorts;
import dev.ferry.proxy.plan.RouteContext;
import dev.ferry.proxy.route.Backend;
import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Protocol;
import dev.ferry.proxy.route.Route;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sync loop against a fake data plane. This proxy runs for node-a (pods 127.244.1.0/24, address 127.77.1.1);
 * externalIPs in 127.77.9.0/24 are local to the machine, others not.
 */
class ProxierTest {
    static final Instant NOW = Instant.parse("2026-03-01T10:00:10Z");
    static final InetSocketAddress OUTSIDE = addr("127.9.9.9", 40000);

    record Event(String namespace, String name, String reason, String message) {}

    final FakeDataPlane dataPlane = new FakeDataPlane();
    final List<Event> events = new ArrayList<>();
    final List<Map<Integer, HealthChecks.Target>> health = new ArrayList<>();
    final List<Duration> latencies = new ArrayList<>();
    final List<Duration> durations = new ArrayList<>();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger changes = new AtomicInteger();
    // behind the JVM's monotonic clock, so expiring pins on System.nanoTime() would drop them all
    final AtomicLong nanos = new AtomicLong(System.nanoTime() - Duration.ofHours(1).toNanos());

    final SyncMetrics metrics = new SyncMetrics() {
        @Override
        public void syncDuration(Duration d) {
            durations.add(d);
        }

        @Override
        public void programmingLatency(Duration d) {
            latencies.add(d);
        }

        @Override
        public void syncFailed() {
            failures.incrementAndGet();
        }
    };

    final RouteContext ctx = new RouteContext(NodeDirectory.of("node-a", List.of()), List.of(ip("127.77.1.1")),
            a -> a.getHostAddress().startsWith("127.77.9."), nanos::get, 3);
    final Proxier proxier = new Proxier(dataPlane, ctx, "node-a",
            (ns, name, reason, message) -> events.add(new Event(ns, name, reason, message)), health::add, metrics,
            Clock.fixed(NOW, ZoneOffset.UTC), changes::incrementAndGet);

    static Service service(String name, String clusterIp, int port, UnaryOperator<ServiceBuilder> edit) {
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withNamespace("ns").withName(name).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(clusterIp).withClusterIPs(clusterIp)
                .withPorts(new ServicePortBuilder().withName("http").withProtocol("TCP").withPort(port).build())
                .endSpec();
        return edit.apply(b).build();
    }

    static Service service(String name, String clusterIp, int port) {
        return service(name, clusterIp, port, b -> b);
    }

    static Endpoint ready(String ip, String node) {
        return new EndpointBuilder().withAddresses(ip).withNodeName(node).withNewConditions().withReady(true)
                .withServing(true).withTerminating(false).endConditions().build();
    }

    static Endpoint notReady(String ip, String node) {
        return new EndpointBuilder().withAddresses(ip).withNodeName(node).withNewConditions().withReady(false)
                .withServing(false).withTerminating(false).endConditions().build();
    }

    static EndpointSlice slice(String service, String sliceName, Endpoint... eps) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("ns").withName(sliceName)
                .addToLabels(EndpointSliceCache.SERVICE_NAME_LABEL, service).endMetadata().withAddressType("IPv4")
                .addNewPort().withName("http").withProtocol("TCP").withPort(8080).endPort().withEndpoints(eps)
                .build();
    }

    static Frontend tcp(String ip, int port) {
        return new Frontend(ip(ip), port, Protocol.TCP);
    }

    private List<String> backends(Route r) {
        return r.pick(OUTSIDE).candidates().stream().map(Backend::toString).toList();
    }

    @Test
    void notHealthyBeforeTheFirstSync() {
        assertThat(proxier.healthy()).isFalse();
        proxier.sync();
        assertThat(proxier.healthy()).isTrue();
        assertThat(dataPlane.last()).isEmpty();
    }

    @Test
    void servesAServiceWithEndpoints() {
        proxier.onService(service("web", "127.96.0.10", 80), false);
        proxier.onSlice(slice("web", "web-1", ready("127.244.1.10", "node-a")), false);
        assertThat(changes).hasValue(2);
        proxier.sync();

        assertThat(dataPlane.last()).containsOnlyKeys(tcp("127.96.0.10", 80));
        assertThat(backends(dataPlane.last().get(tcp("127.96.0.10", 80)))).containsExactly("127.244.1.10:8080");
        assertThat(proxier.frontends()).isEqualTo(1);
        assertThat(durations).hasSize(1);
        assertThat(events).isEmpty();
    }

    @Test
    void slicesBeforeTheirServiceAreServedOnceTheServiceArrives() {
        proxier.onSlice(slice("web", "web-1", ready("127.244.1.10", "node-a")), false);
        proxier.sync();
        assertThat(dataPlane.last()).isEmpty();
        proxier.onService(service("web", "127.96.0.10", 80), false);
        proxier.sync();
        assertThat(dataPlane.last()).containsOnlyKeys(tcp("127.96.0.10", 80));
    }

    @Test
    void ignoredSlicesAndServicesProduceNothing() {
        proxier.onSlice(new EndpointSliceBuilder(slice("x", "orphan", ready("127.244.1.10", "node-a")))
                .editMetadata().withLabels(Map.of()).endMetadata().build(), false);
        assertThat(changes).as("a slice without service label is not a change").hasValue(0);
        proxier.onService(service("headless", "None", 80), false);
        proxier.onService(service("other", "127.96.0.11", 80, b -> b.editMetadata()
                .addToLabels(ServicePorts.SERVICE_PROXY_NAME, "someone-else").endMetadata()), false);
        proxier.onSlice(slice("headless", "headless-1", ready("127.244.1.10", "node-a")), false);
        proxier.onSlice(slice("other", "other-1", ready("127.244.1.10", "node-a")), false);
        proxier.sync();
        assertThat(dataPlane.last()).isEmpty();
    }

    @Test
    void onlyDirtyServicesAreRebuilt() {
        proxier.onService(service("a", "127.96.0.10", 80), false);
        proxier.onSlice(slice("a", "a-1", ready("127.244.1.10", "node-a")), false);
        proxier.onService(service("b", "127.96.0.11", 80), false);
        proxier.onSlice(slice("b", "b-1", ready("127.244.1.11", "node-a")), false);
        proxier.sync();
        Route a1 = dataPlane.last().get(tcp("127.96.0.10", 80));
        Route b1 = dataPlane.last().get(tcp("127.96.0.11", 80));

        proxier.onSlice(slice("b", "b-1", ready("127.244.1.11", "node-a"), ready("127.244.1.12", "node-a")), false);
        proxier.sync();
        assertThat(dataPlane.last().get(tcp("127.96.0.10", 80))).as("unchanged service keeps its route").isSameAs(a1);
        Route b2 = dataPlane.last().get(tcp("127.96.0.11", 80));
        assertThat(b2).isNotSameAs(b1);
        assertThat(b2.pick(OUTSIDE).candidates()).hasSize(2);

        proxier.sync();
        assertThat(dataPlane.last().get(tcp("127.96.0.11", 80))).as("nothing changed").isSameAs(b2);
    }

    @Test
    void nodeChangesRebuildEverything() {
        proxier.onService(service("a", "127.96.0.10", 80), false);
        proxier.onSlice(slice("a", "a-1", ready("127.244.1.10", "node-a")), false);
        proxier.sync();
        Route before = dataPlane.last().get(tcp("127.96.0.10", 80));
        proxier.onNodes(List.of(node("node-a", "", "127.244.1.0/24", "127.77.1.1")));
        proxier.sync();
        assertThat(dataPlane.last().get(tcp("127.96.0.10", 80))).isNotSameAs(before);
    }

    @Test
    void nodeDirectoryDecidesLocalPolicy() {
        proxier.onNodes(List.of(node("node-a", "", "127.244.1.0/24", "127.77.1.1"),
                node("node-b", "", "127.244.2.0/24", "127.77.2.1")));
        proxier.onService(service("web", "127.96.0.10", 80, b -> b.editSpec().withInternalTrafficPolicy("Local")
                .endSpec()), false);
        proxier.onSlice(slice("web", "web-1", ready("127.244.1.10", "node-a"), ready("127.244.2.10", "node-b")),
                false);
        proxier.sync();
        Route r = dataPlane.last().get(tcp("127.96.0.10", 80));
        assertThat(r.pick(addr("127.244.2.50", 40000)).candidates()).extracting(Backend::toString)
                .containsExactly("127.244.2.10:8080");
        assertThat(r.pick(addr("127.244.1.50", 40000)).candidates()).extracting(Backend::toString)
                .containsExactly("127.244.1.10:8080");
    }

    @Test
    void deletingAServiceRemovesItsFrontends() {
        Service a = service("a", "127.96.0.10", 80, b -> b.editSpec().withType("NodePort").withPorts(
                new ServicePortBuilder().withName("http").withPort(80).withNodePort(30080).build()).endSpec());
        proxier.onService(a, false);
        proxier.onService(service("b", "127.96.0.11", 80), false);
        proxier.onSlice(slice("a", "a-1", ready("127.244.1.10", "node-a")), false);
        proxier.onSlice(slice("b", "b-1", ready("127.244.1.11", "node-a")), false);
        proxier.sync();
        assertThat(dataPlane.last()).containsOnlyKeys(tcp("127.96.0.10", 80), tcp("127.77.1.1", 30080),
                tcp("127.96.0.11", 80));

        proxier.onService(a, true);
        proxier.sync();
        assertThat(dataPlane.last()).containsOnlyKeys(tcp("127.96.0.11", 80));
        assertThat(proxier.frontends()).isEqualTo(1);
    }

    @Test
    void losingAllEndpointsRemovesTheFrontend() {
        EndpointSlice s = slice("a", "a-1", ready("127.244.1.10", "node-a"));
        proxier.onService(service("a", "127.96.0.10", 80), false);
        proxier.onSlice(s, false);
        proxier.sync();
        assertThat(dataPlane.last()).hasSize(1);

        proxier.onSlice(slice("a", "a-1", notReady("127.244.1.10", "node-a")), false);
        proxier.sync();
        assertThat(dataPlane.last()).isEmpty();

        proxier.onSlice(s, false);
        proxier.sync();
        assertThat(dataPlane.last()).hasSize(1);
        proxier.onSlice(s, true);
        proxier.sync();
        assertThat(dataPlane.last()).isEmpty();
    }

    @Test
    void bindFailureIsReportedOnceAsWarningEvent() {
        Service web = service("web", "127.96.0.10", 8080, b -> b.editSpec().withExternalIPs("127.77.9.1")
                .withPorts(new ServicePortBuilder().withName("http").withPort(80).build()).endSpec());
        dataPlane.failing.put(tcp("127.77.9.1", 80), new BindException("Permission denied"));
        proxier.onService(web, false);
        proxier.onSlice(slice("web", "web-1", ready("127.244.1.10", "node-a")), false);
        proxier.sync();

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.namespace()).isEqualTo("ns");
            assertThat(e.name()).isEqualTo("web");
            assertThat(e.reason()).isEqualTo("FailedToServe");
            assertThat(e.message()).contains("TCP 127.77.9.1:80")
                    .contains("ports below 1024 need root or CAP_NET_BIND_SERVICE");
        });
        assertThat(proxier.frontends()).as("the ClusterIP is served, the external IP not").isEqualTo(1);

        proxier.sync();
        assertThat(events).as("same failure on the next sync: no new event").hasSize(1);
        proxier.onService(web, false);
        proxier.sync();
        assertThat(events).as("same failure after a rebuild of the service: no new event").hasSize(1);

        dataPlane.failing.clear();
        proxier.sync();
        assertThat(events).hasSize(1);
        assertThat(proxier.frontends()).isEqualTo(2);

        dataPlane.failing.put(tcp("127.77.9.1", 80), new BindException("Address already in use"));
        proxier.sync();
        assertThat(events).hasSize(2);
        assertThat(events.get(1).message()).contains("TCP 127.77.9.1:80").contains("already in use");
    }

    @Test
    void bindFailureOnHighPortDoesNotBlamePrivilegedPorts() {
        Service web = service("web", "127.96.0.10", 8080, b -> b.editSpec().withExternalIPs("127.77.9.1").endSpec());
        dataPlane.failing.put(tcp("127.77.9.1", 8080), new BindException("Permission denied"));
        proxier.onService(web, false);
        proxier.onSlice(slice("web", "web-1", ready("127.244.1.10", "node-a")), false);
        proxier.sync();
        assertThat(events).singleElement().extracting(Event::message).asString()
                .contains("permission denied").doesNotContain("below 1024");
    }

    @Test
    void conflictingExternalIpIsReportedOnTheSecondService() {
        Service a = service("a", "127.96.0.10", 80, b -> b.editSpec().withExternalIPs("127.77.9.1").endSpec());
        Service b = service("b", "127.96.0.11", 80, x -> x.editSpec().withExternalIPs("127.77.9.1").endSpec());
        proxier.onService(a, false);
        proxier.onSlice(slice("a", "a-1", ready("127.244.1.10", "node-a")), false);
        proxier.sync();
        proxier.onService(b, false);
        proxier.onSlice(slice("b", "b-1", ready("127.244.1.11", "node-a")), false);
        proxier.sync();

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("b");
            assertThat(e.reason()).isEqualTo("FailedToServe");
            assertThat(e.message()).contains("TCP 127.77.9.1:80").contains("ns/a");
        });
        assertThat(backends(dataPlane.last().get(tcp("127.77.9.1", 80)))).containsExactly("127.244.1.10:8080");

        proxier.onService(b, false);
        proxier.sync();
        assertThat(events).as("no repeat").hasSize(1);

        proxier.onService(a, true);
        proxier.sync();
        assertThat(backends(dataPlane.last().get(tcp("127.77.9.1", 80)))).as("b takes over")
                .containsExactly("127.244.1.11:8080");
        assertThat(events).hasSize(1);
    }

    @ParameterizedTest(name = "older {0}, newer {1}")
    @CsvSource({"z-old, a-new", "a-old, z-new", "m-old, b-new", "b-old, m-new"})
    void conflictWithinOneSyncGoesToTheOlderServiceWhateverItsName(String older, String newer) {
        // e.g. the first sync after a restart: the claim order of earlier syncs is gone, age decides
        proxier.onService(service(newer, "127.96.0.11", 80, b -> b.editMetadata()
                .withCreationTimestamp("2026-03-01T09:00:00Z").endMetadata().editSpec()
                .withExternalIPs("127.77.9.1").endSpec()), false);
        proxier.onService(service(older, "127.96.0.10", 80, b -> b.editMetadata()
                .withCreationTimestamp("2026-02-01T09:00:00Z").endMetadata().editSpec()
                .withExternalIPs("127.77.9.1").endSpec()), false);
        proxier.onSlice(slice(older, older + "-1", ready("127.244.1.10", "node-a")), false);
        proxier.onSlice(slice(newer, newer + "-1", ready("127.244.1.11", "node-a")), false);
        proxier.sync();

        assertThat(backends(dataPlane.last().get(tcp("127.77.9.1", 80)))).containsExactly("127.244.1.10:8080");
        assertThat(events).singleElement().extracting(Event::name).isEqualTo(newer);
    }

    @Test
    void externalIpsNotOnThisMachineAreNotServed() {
        proxier.onService(service("a", "127.96.0.10", 80, b -> b.editSpec().withExternalIPs("127.78.0.1").endSpec()),
                false);
        proxier.onSlice(slice("a", "a-1", ready("127.244.1.10", "node-a")), false);
        proxier.sync();
        assertThat(dataPlane.last()).containsOnlyKeys(tcp("127.96.0.10", 80));
    }

    static Service localLoadBalancer(String name, String clusterIp, int hcPort) {
        return service(name, clusterIp, 80, b -> b.editSpec().withType("LoadBalancer")
                .withExternalTrafficPolicy("Local").withHealthCheckNodePort(hcPort)
                .withPorts(new ServicePortBuilder().withName("http").withPort(80).withNodePort(30080).build())
                .endSpec());
    }

    @Test
    void healthCheckTargetsCountThisNodesReadyEndpoints() {
        proxier.onService(localLoadBalancer("web", "127.96.0.10", 32000), false);
        proxier.onSlice(slice("web", "web-1", ready("127.244.1.10", "node-a"), ready("127.244.1.11", "node-a"),
                notReady("127.244.1.12", "node-a"), ready("127.244.2.10", "node-b")), false);
        proxier.onService(service("plain", "127.96.0.11", 80, b -> b.editSpec().withHealthCheckNodePort(32001)
                .endSpec()), false);
        proxier.sync();
        assertThat(health.get(health.size() - 1))
                .containsExactly(Map.entry(32000, new HealthChecks.Target("ns", "web", 2)));

        proxier.onSlice(slice("web", "web-1", ready("127.244.2.10", "node-b")), false);
        proxier.sync();
        assertThat(health.get(health.size() - 1))
                .containsExactly(Map.entry(32000, new HealthChecks.Target("ns", "web", 0)));

        proxier.onService(localLoadBalancer("web", "127.96.0.10", 32000), true);
        proxier.sync();
        assertThat(health.get(health.size() - 1)).isEmpty();
    }

    @Test
    void healthCheckTargetsOfSeveralServices() {
        proxier.onService(localLoadBalancer("a", "127.96.0.10", 32000), false);
        proxier.onService(localLoadBalancer("b", "127.96.0.11", 32001), false);
        proxier.onSlice(slice("a", "a-1", ready("127.244.1.10", "node-a")), false);
        proxier.sync();
        assertThat(health.get(health.size() - 1)).containsExactlyInAnyOrderEntriesOf(Map.of(
                32000, new HealthChecks.Target("ns", "a", 1),
                32001, new HealthChecks.Target("ns", "b", 0)));
    }

    @Test
    void programmingLatencyFromTheTriggerTimeAnnotation() {
        EndpointSlice s = new EndpointSliceBuilder(slice("web", "web-1", ready("127.244.1.10", "node-a")))
                .editMetadata().addToAnnotations(Proxier.TRIGGER_TIME_ANNOTATION, "2026-03-01T10:00:07.250Z")
                .endMetadata().build();
        proxier.onService(service("web", "127.96.0.10", 80), false);
        proxier.onSlice(s, false);
        proxier.sync();
        assertThat(latencies).containsExactly(Duration.ofMillis(2750));

        proxier.sync();
        assertThat(latencies).as("observed once").hasSize(1);

        proxier.onSlice(new EndpointSliceBuilder(s).editMetadata()
                .addToAnnotations(Proxier.TRIGGER_TIME_ANNOTATION, "not a time").endMetadata().build(), false);
        proxier.onSlice(slice("web", "web-2", ready("127.244.1.11", "node-a")), false);
        proxier.sync();
        assertThat(latencies).hasSize(1);
    }

    @Test
    void failedSyncIsUnhealthyAndTheNextSyncRebuildsEverything() {
        proxier.onService(service("a", "127.96.0.10", 80), false);
        proxier.onSlice(slice("a", "a-1", ready("127.244.1.10", "node-a")), false);
        proxier.onService(service("b", "127.96.0.11", 80), false);
        proxier.onSlice(slice("b", "b-1", ready("127.244.1.11", "node-a")), false);
        proxier.sync();
        Route a1 = dataPlane.last().get(tcp("127.96.0.10", 80));
        assertThat(proxier.healthy()).isTrue();

        dataPlane.throwOnApply = new IllegalStateException("event loop gone");
        proxier.onSlice(slice("b", "b-1", ready("127.244.1.12", "node-a")), false);
        assertThatThrownBy(proxier::sync).isInstanceOf(IllegalStateException.class);
        assertThat(proxier.healthy()).isFalse();
        assertThat(failures).hasValue(1);

        dataPlane.throwOnApply = null;
        proxier.sync();
        assertThat(proxier.healthy()).isTrue();
        assertThat(dataPlane.last().get(tcp("127.96.0.10", 80))).as("full rebuild: a's route is new")
                .isNotSameAs(a1);
        assertThat(backends(dataPlane.last().get(tcp("127.96.0.11", 80)))).containsExactly("127.244.1.12:8080");
    }

    @Test
    void failureWhileReadingInputsAlsoForcesAFullRebuild() {
        AtomicBoolean broken = new AtomicBoolean(true);
        Service good = service("good", "127.96.0.10", 80);
        Service valid = service("bad", "127.96.0.11", 80);
        Service bad = new Service("v1", "Service", valid.getMetadata(), valid.getSpec(), null) {
            @Override
            public io.fabric8.kubernetes.api.model.ServiceSpec getSpec() {
                if (broken.get()) {
                    throw new IllegalStateException("unreadable spec");
                }
                return super.getSpec();
            }
        };
        proxier.onService(good, false);
        proxier.onSlice(slice("good", "good-1", ready("127.244.1.10", "node-a")), false);
        proxier.onService(bad, false);
        assertThatThrownBy(proxier::sync).isInstanceOf(IllegalStateException.class);
        assertThat(proxier.healthy()).isFalse();
        assertThat(failures).hasValue(1);

        broken.set(false);
        proxier.onService(bad, false);
        proxier.sync();
        assertThat(proxier.healthy()).isTrue();
        assertThat(dataPlane.last()).as("good was dirty in the failed sync: it must not be lost")
                .containsOnlyKeys(tcp("127.96.0.10", 80));
    }

    @Test
    void sessionAffinitySurvivesSyncsUntilItsTimeoutOnTheRouteClock() {
        proxier.onService(service("web", "127.96.0.10", 80, b -> b.editSpec().withSessionAffinity("ClientIP")
                .withNewSessionAffinityConfig().withNewClientIP().withTimeoutSeconds(60).endClientIP()
                .endSessionAffinityConfig().endSpec()), false);
        proxier.onSlice(slice("web", "web-1", ready("127.244.1.10", "node-a"), ready("127.244.1.11", "node-a"),
                ready("127.244.1.12", "node-a")), false);
        proxier.sync();
        Route r = dataPlane.last().get(tcp("127.96.0.10", 80));
        Backend pinned = r.pick(OUTSIDE).candidates().get(0);
        r.connected(OUTSIDE, pinned);

        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        proxier.onSlice(slice("web", "web-1", ready("127.244.1.10", "node-a"), ready("127.244.1.11", "node-a"),
                ready("127.244.1.12", "node-a"), ready("127.244.1.13", "node-a")), false);
        proxier.sync();
        Route next = dataPlane.last().get(tcp("127.96.0.10", 80));
        assertThat(next).isNotSameAs(r);
        for (int i = 0; i < 4; i++) {
            assertThat(next.pick(OUTSIDE).candidates().get(0)).isEqualTo(pinned);
        }

        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        proxier.sync();
        List<Backend> firsts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            firsts.add(next.pick(OUTSIDE).candidates().get(0));
        }
        assertThat(firsts).doesNotHaveDuplicates();
    }

    @Test
    void syncsExpirePinsOnlyOfServicePortsWithAffinityOrPinsLeft() {
        UnaryOperator<ServiceBuilder> affinity = b -> b.editSpec().withSessionAffinity("ClientIP")
                .withNewSessionAffinityConfig().withNewClientIP().withTimeoutSeconds(60).endClientIP()
                .endSessionAffinityConfig().endSpec();
        proxier.onService(service("web", "127.96.0.10", 80, affinity), false);
        proxier.onSlice(slice("web", "web-1", ready("127.244.1.10", "node-a")), false);
        proxier.onService(service("plain", "127.96.0.11", 80), false);
        proxier.onSlice(slice("plain", "plain-1", ready("127.244.1.11", "node-a")), false);
        proxier.sync();
        assertThat(proxier.pinningPorts()).as("only the affinity port").isEqualTo(1);

        Route r = dataPlane.last().get(tcp("127.96.0.10", 80));
        r.connected(OUTSIDE, r.pick(OUTSIDE).candidates().get(0));
        proxier.onService(service("web", "127.96.0.10", 80), false);
        proxier.sync();
        assertThat(proxier.pinningPorts()).as("affinity off, but a pin is left to expire").isEqualTo(1);

        nanos.addAndGet(Duration.ofSeconds(61).toNanos());
        proxier.sync();
        assertThat(proxier.pinningPorts()).as("its last pin expired").isZero();

        proxier.onService(service("web", "127.96.0.10", 80, affinity), false);
        proxier.sync();
        proxier.onService(service("web", "127.96.0.10", 80, affinity), true);
        proxier.sync();
        assertThat(proxier.pinningPorts()).as("deleted").isZero();
    }
}
