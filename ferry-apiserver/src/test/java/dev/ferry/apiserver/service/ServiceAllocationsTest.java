package dev.ferry.apiserver.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.allocation.IpAllocator;
import dev.ferry.apiserver.allocation.PortAllocator;
import dev.ferry.apiserver.resource.WriteHook.Reservation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The allocation hook, driven through the strategy as the registry drives it (prepare, validate, hook). */
class ServiceAllocationsTest {
    private final ServiceStrategy strategy = new ServiceStrategy(ServiceNetworkConfig.defaults());
    private final IpAllocator ips = new IpAllocator("127.96.0.0/16", new Random(7));
    private final PortAllocator ports = new PortAllocator(30000, 32767, new Random(8));
    private final ServiceAllocations hook = new ServiceAllocations(ips, ports);

    private static ObjectNode named(String name, String spec) {
        ObjectNode svc = Manifests.service(spec);
        ((ObjectNode) svc.get("metadata")).put("name", name);
        return svc;
    }

    private Reservation create(ObjectNode svc) {
        strategy.prepareForCreate(svc);
        assertThat(strategy.validate(svc)).isEmpty();
        return hook.beforeCreate(svc);
    }

    private ObjectNode created(String name, String spec) {
        ObjectNode svc = named(name, spec);
        create(svc).commit();
        return svc;
    }

    private Reservation update(ObjectNode update, ObjectNode old) {
        strategy.prepareForUpdate(update, old);
        assertThat(strategy.validateUpdate(update, old)).isEmpty();
        return hook.beforeUpdate(update, old);
    }

    @Test
    void allocatesAClusterIpFromTheDynamicBand() {
        ObjectNode svc = created("web", "{'ports':[{'port':80}]}");
        String ip = svc.at("/spec/clusterIP").asString();
        assertThat(svc.at("/spec/clusterIPs/0").asString()).isEqualTo(ip);
        assertThat(ips.has(ip)).isTrue();
        assertThat(ips.inStaticBand(ip)).isFalse();
        assertThat(ips.used()).isEqualTo(1);
        assertThat(ports.used()).isZero();
    }

    @Test
    void kubernetesServiceGetsTheFirstAddress() {
        assertThat(hook.firstServiceIp()).isEqualTo("127.96.0.1");
        ObjectNode svc = created("kubernetes", "{'clusterIP':'" + hook.firstServiceIp() + "','ports':[{'name':'https',"
                + "'port':443,'targetPort':6443}]}");
        assertThat(svc.at("/spec/clusterIPs/0").asString()).isEqualTo("127.96.0.1");
        assertThat(ips.has("127.96.0.1")).isTrue();
    }

    @Test
    void takenClusterIpIs422AtClusterIPs() {
        created("dns", "{'clusterIP':'127.96.0.10','ports':[{'port':53,'protocol':'UDP'}]}");
        ObjectNode second = named("other", "{'clusterIP':'127.96.0.10','ports':[{'port':80}]}");
        assertThatThrownBy(() -> create(second))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.reason()).isEqualTo("Invalid");
                    assertThat(e.getMessage()).isEqualTo("Service \"other\" is invalid: spec.clusterIPs: Invalid "
                            + "value: [\"127.96.0.10\"]: failed to allocate IP 127.96.0.10: provided IP is already "
                            + "allocated");
                    assertThat(e.causes()).singleElement().satisfies(c -> {
                        assertThat(c.field()).isEqualTo("spec.clusterIPs");
                        assertThat(c.reason()).isEqualTo("FieldValueInvalid");
                    });
                });
        assertThat(ips.used()).isEqualTo(1);
    }

    @Test
    void outOfRangeClusterIpNamesTheRange() {
        ObjectNode svc = named("web", "{'clusterIP':'10.0.0.1','ports':[{'port':80}]}");
        assertThatThrownBy(() -> create(svc))
                .isInstanceOf(ApiException.class)
                .hasMessage("Service \"web\" is invalid: spec.clusterIPs: Invalid value: [\"10.0.0.1\"]: failed to "
                        + "allocate IP 10.0.0.1: the provided IP (10.0.0.1) is not in the valid range. The range of "
                        + "valid IPs is 127.96.0.0/16");
    }

    @Test
    void exhaustedRangeIs500RangeIsFull() {
        ServiceAllocations small = new ServiceAllocations(new IpAllocator("10.9.0.0/29"), ports);
        for (int i = 0; i < 6; i++) {
            ObjectNode svc = named("s" + i, "{'ports':[{'port':80}]}");
            strategy.prepareForCreate(svc);
            small.beforeCreate(svc).commit();
        }
        ObjectNode svc = named("s7", "{'ports':[{'port':80}]}");
        strategy.prepareForCreate(svc);
        assertThatThrownBy(() -> small.beforeCreate(svc))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(500);
                    assertThat(e.reason()).isEqualTo("InternalError");
                    assertThat(e.getMessage())
                            .isEqualTo("Internal error occurred: failed to allocate a serviceIP: range is full");
                });
    }

    @Test
    void releasedReservationGivesEverythingBack() {
        ObjectNode svc = named("web", "{'type':'LoadBalancer','externalTrafficPolicy':'Local','ports':[{'port':80}]}");
        Reservation r = create(svc);
        assertThat(ips.used()).isEqualTo(1);
        assertThat(ports.used()).isEqualTo(2);
        r.release();
        r.commit();
        assertThat(ips.used()).isZero();
        assertThat(ports.used()).isZero();
    }

    @Test
    void headlessAndExternalNameTakeNothing() {
        ObjectNode headless = created("h", "{'clusterIP':'None','ports':[{'port':80}]}");
        created("e", "{'type':'ExternalName','externalName':'example.com'}");
        assertThat(headless.at("/spec/clusterIP").asString()).isEqualTo("None");
        assertThat(ips.used()).isZero();
    }

    @Test
    void nodePortsAreAllocatedPerServicePortNumber() {
        ObjectNode svc = created("dns", "{'type':'NodePort','ports':[{'name':'dns-tcp','port':53},"
                + "{'name':'dns-udp','port':53,'protocol':'UDP'},{'name':'metrics','port':9153}]}");
        int tcp = svc.at("/spec/ports/0/nodePort").asInt();
        int udp = svc.at("/spec/ports/1/nodePort").asInt();
        int metrics = svc.at("/spec/ports/2/nodePort").asInt();
        assertThat(tcp).isEqualTo(udp).isBetween(30086, 32767);
        assertThat(metrics).isNotEqualTo(tcp).isBetween(30086, 32767);
        assertThat(ports.allocated()).containsExactlyInAnyOrder(tcp, metrics);
    }

    @Test
    void explicitNodePortIsSharedWithItsTwinPort() {
        ObjectNode svc = created("dns", "{'type':'NodePort','ports':[{'name':'tcp','port':53},"
                + "{'name':'udp','port':53,'protocol':'UDP','nodePort':30053}]}");
        assertThat(svc.at("/spec/ports/0/nodePort").asInt()).isEqualTo(30053);
        assertThat(ports.allocated()).containsExactly(30053);
    }

    @Test
    void takenOrOutOfRangeNodePortIs422AndReleasesTheClusterIp() {
        created("a", "{'type':'NodePort','ports':[{'port':80,'nodePort':30080}]}");
        int ipsBefore = ips.used();
        ObjectNode taken = named("b", "{'type':'NodePort','ports':[{'name':'x','port':81},"
                + "{'name':'y','port':80,'nodePort':30080}]}");
        assertThatThrownBy(() -> create(taken))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage()).isEqualTo("Service \"b\" is invalid: spec.ports[1].nodePort: Invalid "
                            + "value: 30080: provided port is already allocated");
                });
        ObjectNode outside = named("c", "{'type':'NodePort','ports':[{'port':80,'nodePort':8080}]}");
        assertThatThrownBy(() -> create(outside))
                .hasMessage("Service \"c\" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is "
                        + "not in the valid range. The range of valid ports is 30000-32767");
        assertThat(ips.used()).isEqualTo(ipsBefore);
        assertThat(ports.allocated()).containsExactly(30080);
    }

    @Test
    void loadBalancerWithoutNodePortAllocationHonoursOnlyExplicitPorts() {
        ObjectNode svc = created("lb", "{'type':'LoadBalancer','allocateLoadBalancerNodePorts':false,'ports':["
                + "{'name':'a','port':80},{'name':'b','port':81,'nodePort':31081}]}");
        assertThat(svc.at("/spec/ports/0").has("nodePort")).isFalse();
        assertThat(svc.at("/spec/ports/1/nodePort").asInt()).isEqualTo(31081);
        assertThat(ports.allocated()).containsExactly(31081);
    }

    @Test
    void localLoadBalancerGetsAHealthCheckNodePort() {
        ObjectNode svc = created("lb", "{'type':'LoadBalancer','externalTrafficPolicy':'Local','ports':[{'port':80}]}");
        int hc = svc.at("/spec/healthCheckNodePort").asInt();
        assertThat(hc).isBetween(30000, 32767).isNotEqualTo(svc.at("/spec/ports/0/nodePort").asInt());
        assertThat(ports.has(hc)).isTrue();
        ObjectNode explicit = named("lb2", "{'type':'LoadBalancer','externalTrafficPolicy':'Local',"
                + "'healthCheckNodePort':" + hc + ",'ports':[{'port':80}]}");
        assertThatThrownBy(() -> create(explicit))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(500))
                .hasMessage("Internal error occurred: failed to allocate requested HealthCheck NodePort " + hc
                        + ": provided port is already allocated");
        assertThat(ports.used()).isEqualTo(2);
    }

    @Test
    void updateToExternalNameReleasesTheIpOnlyAfterCommit() {
        ObjectNode old = created("web", "{'ports':[{'port':80}]}");
        String ip = old.at("/spec/clusterIP").asString();
        ObjectNode update = old.deepCopy();
        ((ObjectNode) update.get("spec")).put("type", "ExternalName").put("externalName", "example.com");
        Reservation failed = update(update, old);
        failed.release();
        assertThat(ips.has(ip)).as("a failed update keeps the old IP").isTrue();
        ObjectNode again = old.deepCopy();
        ((ObjectNode) again.get("spec")).put("type", "ExternalName").put("externalName", "example.com");
        Reservation r = update(again, old);
        assertThat(ips.has(ip)).isTrue();
        r.commit();
        assertThat(ips.has(ip)).isFalse();
    }

    @Test
    void updateFromExternalNameAllocatesAFreshIp() {
        ObjectNode old = created("web", "{'type':'ExternalName','externalName':'example.com'}");
        ObjectNode update = old.deepCopy();
        ((ObjectNode) update.get("spec")).put("type", "ClusterIP").remove("externalName");
        ((ObjectNode) update.get("spec")).set("ports", Manifests.json("{'a':[{'port':80}]}").get("a"));
        Reservation r = update(update, old);
        String ip = update.at("/spec/clusterIP").asString();
        assertThat(ips.has(ip)).isTrue();
        r.release();
        assertThat(ips.has(ip)).isFalse();
    }

    @Test
    void updateAllocatesAddedNodePortsAndReleasesRemovedOnesAfterCommit() {
        ObjectNode old = created("web", "{'type':'NodePort','ports':[{'name':'a','port':80},{'name':'b','port':81}]}");
        int a = old.at("/spec/ports/0/nodePort").asInt();
        int b = old.at("/spec/ports/1/nodePort").asInt();
        ObjectNode update = Manifests.service("{'type':'NodePort','ports':[{'name':'a','port':80},"
                + "{'name':'c','port':82}]}");
        ((ObjectNode) update.get("metadata")).put("name", "web");
        Reservation r = update(update, old);
        int c = update.at("/spec/ports/1/nodePort").asInt();
        assertThat(update.at("/spec/ports/0/nodePort").asInt()).isEqualTo(a);
        assertThat(ports.allocated()).containsExactlyInAnyOrder(a, b, c);
        r.commit();
        assertThat(ports.allocated()).containsExactlyInAnyOrder(a, c);
    }

    @Test
    void updateToClusterIpReleasesNodePortsAndHealthCheckPortAfterCommit() {
        ObjectNode old = created("web", "{'type':'LoadBalancer','externalTrafficPolicy':'Local','ports':[{'port':80}]}");
        assertThat(ports.used()).isEqualTo(2);
        ObjectNode update = old.deepCopy();
        ((ObjectNode) update.get("spec")).put("type", "ClusterIP");
        Reservation r = update(update, old);
        assertThat(ports.used()).isEqualTo(2);
        r.commit();
        assertThat(ports.used()).isZero();
        assertThat(ips.has(old.at("/spec/clusterIP").asString())).isTrue();
    }

    @Test
    void switchingTrafficPolicyAllocatesAndReleasesTheHealthCheckPort() {
        ObjectNode old = created("web", "{'type':'LoadBalancer','ports':[{'port':80}]}");
        ObjectNode local = old.deepCopy();
        ((ObjectNode) local.get("spec")).put("externalTrafficPolicy", "Local");
        update(local, old).commit();
        int hc = local.at("/spec/healthCheckNodePort").asInt();
        assertThat(ports.has(hc)).isTrue();
        ObjectNode cluster = local.deepCopy();
        ((ObjectNode) cluster.get("spec")).put("externalTrafficPolicy", "Cluster");
        Reservation r = update(cluster, local);
        assertThat(cluster.at("/spec").has("healthCheckNodePort")).isFalse();
        r.commit();
        assertThat(ports.has(hc)).isFalse();
    }

    @Test
    void deleteReleasesEverythingAfterCommitOnly() {
        ObjectNode svc = created("web", "{'type':'LoadBalancer','externalTrafficPolicy':'Local','ports':[{'port':80}]}");
        Reservation kept = hook.beforeDelete(svc);
        kept.release();
        assertThat(ips.used()).isEqualTo(1);
        assertThat(ports.used()).isEqualTo(2);
        hook.beforeDelete(svc).commit();
        assertThat(ips.used()).isZero();
        assertThat(ports.used()).isZero();
    }

    @Test
    void concurrentCreatesNeverShareAnything() throws Exception {
        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<ObjectNode> done = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    ObjectNode svc = named("s-" + thread + "-" + i, "{'type':'NodePort','ports':[{'port':80}]}");
                    create(svc).commit();
                    done.add(svc);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(done).hasSize(threads * perThread);
        assertThat(done.stream().map(s -> s.at("/spec/clusterIP").asString())).doesNotHaveDuplicates();
        assertThat(done.stream().map(s -> s.at("/spec/ports/0/nodePort").asInt())).doesNotHaveDuplicates();
        assertThat(ips.used()).isEqualTo(threads * perThread);
        assertThat(ports.used()).isEqualTo(threads * perThread);
    }

    @Test
    void concurrentRequestsForOneIpHaveExactlyOneWinner() throws Exception {
        int threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                ObjectNode svc = named("s" + thread, "{'clusterIP':'127.96.0.42','ports':[{'port':80}]}");
                strategy.prepareForCreate(svc);
                start.await();
                try {
                    hook.beforeCreate(svc).commit();
                    return true;
                } catch (ApiException e) {
                    assertThat(e.code()).isEqualTo(422);
                    return false;
                }
            }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> f : futures) {
            winners += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        assertThat(winners).isEqualTo(1);
        assertThat(ips.allocated()).containsExactly("127.96.0.42");
    }

    @Test
    void rebuildMarksStoredValuesAndReportsConflicts() {
        List<ObjectNode> stored = List.of(
                Manifests.json("{'metadata':{'namespace':'default','name':'kubernetes'},'spec':{'type':'ClusterIP',"
                        + "'clusterIP':'127.96.0.1','clusterIPs':['127.96.0.1'],'ports':[{'port':443}]}}"),
                Manifests.json("{'metadata':{'namespace':'a','name':'np'},'spec':{'type':'LoadBalancer',"
                        + "'externalTrafficPolicy':'Local','healthCheckNodePort':31999,'clusterIP':'127.96.7.7',"
                        + "'clusterIPs':['127.96.7.7'],'ports':[{'name':'t','port':53,'nodePort':30053},"
                        + "{'name':'u','port':53,'protocol':'UDP','nodePort':30053}]}}"),
                Manifests.json("{'metadata':{'namespace':'b','name':'dup'},'spec':{'type':'NodePort',"
                        + "'clusterIP':'127.96.7.7','clusterIPs':['127.96.7.7'],'ports':[{'port':80,"
                        + "'nodePort':30053}]}}"),
                Manifests.json("{'metadata':{'namespace':'b','name':'far'},'spec':{'type':'ClusterIP',"
                        + "'clusterIP':'10.0.0.5','clusterIPs':['10.0.0.5'],'ports':[{'port':80}]}}"),
                Manifests.json("{'metadata':{'namespace':'b','name':'ext'},'spec':{'type':'ExternalName',"
                        + "'externalName':'example.com'}}"),
                Manifests.json("{'metadata':{'namespace':'b','name':'h'},'spec':{'clusterIP':'None',"
                        + "'clusterIPs':['None']}}"));
        List<String> problems = hook.rebuild(stored);
        assertThat(ips.allocated()).containsExactly("127.96.0.1", "127.96.7.7");
        assertThat(ports.allocated()).containsExactly(30053, 31999);
        assertThat(problems).containsExactly(
                "the cluster IP 127.96.7.7 for service b/dup was assigned to multiple services; please recreate",
                "the node port 30053 for service b/dup was assigned to multiple services; please recreate",
                "the cluster IP 10.0.0.5 for service b/far is not within the service CIDR 127.96.0.0/16; please "
                        + "recreate");
        assertThatThrownBy(() -> create(named("x", "{'clusterIP':'127.96.7.7','ports':[{'port':80}]}")))
                .hasMessageContaining("provided IP is already allocated");
    }

    @Test
    void ipv6SingleStackClusterAllocatesIpv6Addresses() {
        ServiceNetworkConfig config = new ServiceNetworkConfig("fd00:96::/108", 30000, 32767, List.of());
        ServiceStrategy v6Strategy = new ServiceStrategy(config);
        ServiceAllocations v6 = new ServiceAllocations(config);
        ObjectNode svc = named("web", "{'ports':[{'port':80}]}");
        v6Strategy.prepareForCreate(svc);
        assertThat(v6Strategy.validate(svc)).isEmpty();
        v6.beforeCreate(svc).commit();
        assertThat(svc.at("/spec/ipFamilies/0").asString()).isEqualTo("IPv6");
        assertThat(svc.at("/spec/clusterIP").asString()).startsWith("fd00:96::");
        assertThat(v6.firstServiceIp()).isEqualTo("fd00:96::1");
        ObjectNode v4 = named("v4", "{'clusterIP':'10.0.0.1','ports':[{'port':80}]}");
        v6Strategy.prepareForCreate(v4);
        assertThat(Manifests.render(v6Strategy.validate(v4))).containsExactly(
                "spec.clusterIPs[0]: Invalid value: [\"10.0.0.1\"]: IPv4 is not configured on this cluster");
    }
}
