package dev.ferry.controllers.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.PortStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The planner's table: pool 10.0.0.0/29 (10.0.0.1 … 10.0.0.6), Service "ns/web" with one TCP port 80. */
class LbPlanTest {
    private static final String KEY = "ns/web";
    private static final String POOL = "10.0.0.0/29";
    private static final String OTHER_CLASS = "example.com/other";

    /** A case: the allocations ("key=ip"), the Service, and the expected plan. */
    record Case(String name, List<String> held, Service service, LbPlan expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a deleted Service gives back its address", List.of("ns/web=10.0.0.2"), null,
                        plan("10.0.0.2", null, null, null)),
                new Case("a deleted Service that held nothing: nothing", List.of(), null,
                        plan(null, null, null, null)),
                new Case("a new LoadBalancer gets the lowest free address", List.of("ns/a=10.0.0.1"),
                        lb().build(), plan(null, "10.0.0.2", ingress("10.0.0.2"), null)),
                new Case("our class is served", List.of(),
                        lb().editSpec().withLoadBalancerClass(LbPlan.LOAD_BALANCER_CLASS).endSpec().build(),
                        plan(null, "10.0.0.1", ingress("10.0.0.1"), null)),
                new Case("another class is never touched, even showing a pool address", List.of("ns/a=10.0.0.1"),
                        status(lb().editSpec().withLoadBalancerClass(OTHER_CLASS).endSpec(), "10.0.0.1").build(),
                        plan(null, null, null, null)),
                new Case("an assigned Service whose status shows it: nothing", List.of("ns/web=10.0.0.3"),
                        status(lb(), "10.0.0.3").build(), plan(null, null, null, null)),
                new Case("an assigned Service whose status lost it: status rewritten", List.of("ns/web=10.0.0.3"),
                        lb().build(), plan(null, null, ingress("10.0.0.3"), null)),
                new Case("a status showing a free pool address is adopted (restart)", List.of(),
                        status(lb(), "10.0.0.5").build(), plan(null, "10.0.0.5", null, null)),
                new Case("a status showing another Service's address gets a new one", List.of("ns/a=10.0.0.1"),
                        status(lb(), "10.0.0.1").build(), plan(null, "10.0.0.2", ingress("10.0.0.2"), null)),
                new Case("a status showing an address outside the pool gets a pool address", List.of(),
                        status(lb(), "192.0.2.1").build(), plan(null, "10.0.0.1", ingress("10.0.0.1"), null)),
                new Case("a requested free address is taken", List.of(),
                        lb().editSpec().withLoadBalancerIP("10.0.0.4").endSpec().build(),
                        plan(null, "10.0.0.4", ingress("10.0.0.4"), null)),
                new Case("a requested address already held: nothing", List.of("ns/web=10.0.0.4"),
                        status(lb().editSpec().withLoadBalancerIP("10.0.0.4").endSpec(), "10.0.0.4").build(),
                        plan(null, null, null, null)),
                new Case("a newly requested address replaces the held one", List.of("ns/web=10.0.0.1"),
                        status(lb().editSpec().withLoadBalancerIP("10.0.0.6").endSpec(), "10.0.0.1").build(),
                        plan("10.0.0.1", "10.0.0.6", ingress("10.0.0.6"), null)),
                new Case("a requested address in use fails", List.of("ns/a=10.0.0.4"),
                        lb().editSpec().withLoadBalancerIP("10.0.0.4").endSpec().build(),
                        plan(null, null, null, "requested loadBalancerIP 10.0.0.4 is already in use by ns/a")),
                new Case("a requested address outside the pool fails, clearing the old ingress",
                        List.of("ns/web=10.0.0.1"),
                        status(lb().editSpec().withLoadBalancerIP("10.0.0.7").endSpec(), "10.0.0.1").build(),
                        plan("10.0.0.1", null, List.of(), "requested loadBalancerIP 10.0.0.7 is not an assignable "
                                + "address of the pool 10.0.0.0/29")),
                new Case("an exhausted pool fails", full(),
                        lb().build(), plan(null, null, null,
                                "no available IPs: the pool 10.0.0.0/29 is exhausted (6 of 6 addresses in use)")),
                new Case("an exhausted pool fails and clears a status showing another's address", full(),
                        status(lb(), "10.0.0.1").build(), plan(null, null, List.of(),
                                "no available IPs: the pool 10.0.0.0/29 is exhausted (6 of 6 addresses in use)")),
                new Case("a Service no longer a LoadBalancer gives back its address and has its ingress cleared",
                        List.of("ns/web=10.0.0.2"), status(clusterIp(), "10.0.0.2").build(),
                        plan("10.0.0.2", null, List.of(), null)),
                new Case("a ClusterIP Service whose ingress the API server already cleared: release only",
                        List.of("ns/web=10.0.0.2"), clusterIp().build(), plan("10.0.0.2", null, null, null)),
                new Case("a ClusterIP Service showing a pool address it does not hold: ingress cleared", List.of(),
                        status(clusterIp(), "10.0.0.2").build(), plan(null, null, List.of(), null)),
                new Case("a ClusterIP Service showing a foreign address it does not hold: untouched", List.of(),
                        status(clusterIp(), "192.0.2.1").build(), plan(null, null, null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plans(Case c) {
        assertThat(LbPlan.plan(KEY, c.service(), allocations(c.held()))).isEqualTo(c.expected());
    }

    @Test
    void planningNeverChangesTheAllocations() {
        LbAllocations a = allocations(List.of("ns/web=10.0.0.1"));
        LbPlan.plan(KEY, status(lb().editSpec().withLoadBalancerIP("10.0.0.6").endSpec(), "10.0.0.1").build(), a);
        LbPlan.plan("ns/new", lb().build(), a);
        assertThat(a.snapshot()).isEqualTo(Map.of("ns/web", "10.0.0.1"));
        assertThat(a.pool().used()).isEqualTo(1);
    }

    @Test
    void oneAddressServesEveryPortWithItsProtocol() {
        Service svc = lb().editSpec().withPorts(
                new ServicePortBuilder().withName("dns").withPort(53).withProtocol("UDP").build(),
                new ServicePortBuilder().withName("dns-tcp").withPort(53).withProtocol("TCP").build(),
                new ServicePortBuilder().withName("web").withPort(8080).build()).endSpec().build();
        LoadBalancerIngress in = LbPlan.plan(KEY, svc, allocations(List.of())).ingress().get(0);
        assertThat(in.getIp()).isEqualTo("10.0.0.1");
        assertThat(in.getIpMode()).isEqualTo("VIP");
        assertThat(in.getPorts()).extracting(PortStatus::getPort, PortStatus::getProtocol)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(53, "UDP"),
                        org.assertj.core.groups.Tuple.tuple(53, "TCP"),
                        org.assertj.core.groups.Tuple.tuple(8080, "TCP"));
    }

    @Test
    void aChangedPortRewritesTheStatus() {
        Service svc = status(lb(), "10.0.0.3").editSpec().editFirstPort().withPort(81).endPort().endSpec().build();
        assertThat(LbPlan.plan(KEY, svc, allocations(List.of("ns/web=10.0.0.3"))).ingress())
                .extracting(LoadBalancerIngress::getPorts).first().asInstanceOf(
                        org.assertj.core.api.InstanceOfAssertFactories.list(PortStatus.class))
                .extracting(PortStatus::getPort).containsExactly(81);
    }

    private static LbPlan plan(String release, String claim, List<LoadBalancerIngress> ingress, String failure) {
        return new LbPlan(release, claim, ingress, failure);
    }

    private static List<LoadBalancerIngress> ingress(String ip) {
        return List.of(new LoadBalancerIngressBuilder().withIp(ip).withIpMode("VIP")
                .withPorts(new PortStatus(null, 80, "TCP")).build());
    }

    private static List<String> full() {
        List<String> all = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            all.add("ns/s" + i + "=10.0.0." + i);
        }
        return all;
    }

    static LbAllocations allocations(List<String> held) {
        LbAllocations a = new LbAllocations(LbAddressPool.parse(POOL));
        for (String h : held) {
            String[] kv = h.split("=");
            a.assign(kv[0], kv[1]);
        }
        return a;
    }

    static ServiceBuilder lb() {
        return new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("web").endMetadata()
                .withNewSpec().withType("LoadBalancer").addNewPort().withPort(80).withProtocol("TCP").endPort()
                .endSpec();
    }

    private static ServiceBuilder clusterIp() {
        return lb().editSpec().withType("ClusterIP").endSpec();
    }

    static ServiceBuilder status(ServiceBuilder b, String... ips) {
        List<LoadBalancerIngress> in = new ArrayList<>();
        for (String ip : ips) {
            in.add(new LoadBalancerIngressBuilder().withIp(ip).withIpMode("VIP")
                    .withPorts(new PortStatus(null, 80, "TCP")).build());
        }
        return b.withNewStatus().withNewLoadBalancer().withIngress(in).endLoadBalancer().endStatus();
    }
}
