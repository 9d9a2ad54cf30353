package dev.ferry.controllers.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.client.Clients;
import dev.ferry.client.SharedInformers;
import dev.ferry.controllers.endpointutil.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.PortStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LoadBalancer address allocator against a real in-process API server and a real fabric8 client. */
final class ServiceLbControllerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String POOL = "127.240.0.0/24";
    private TestCluster cluster;
    private final List<AutoCloseable> stops = new ArrayList<>();
    private String ns;

    @BeforeEach
    void start() throws Exception {
        cluster = TestCluster.start();
        ns = cluster.namespace();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : stops.reversed()) {
            c.close();
        }
        cluster.close();
    }

    /** A controller on its own informers and client, stopped after the test (or by {@code close()} before). */
    private ServiceLbController controller(String pool) {
        SharedInformers informers = new SharedInformers(Clients.connect(cluster.server.url(), "service-lb"));
        stops.add(() -> {
            informers.close();
            informers.client().close();
        });
        ServiceLbController c = ServiceLbController.start(informers, new ServiceLbController.Options(pool),
                Clock.systemUTC());
        stops.add(c);
        return c;
    }

    @Test
    void assignsOneAddressPerServiceForAllItsPortsWithAnEvent() throws Exception {
        controller(POOL);
        lb("web", b -> b.editSpec().withPorts(
                new ServicePortBuilder().withName("http").withPort(80).withProtocol("TCP").build(),
                new ServicePortBuilder().withName("dns").withPort(53).withProtocol("UDP").build()).endSpec());
        awaitIp("web", "127.240.0.1");
        LoadBalancerIngress in = svc("web").getStatus().getLoadBalancer().getIngress().get(0);
        assertThat(in).isEqualTo(new LoadBalancerIngressBuilder().withIp("127.240.0.1").withIpMode("VIP")
                .withPorts(new PortStatus(null, 80, "TCP"), new PortStatus(null, 53, "UDP")).build());
        assertThat(svc("web").getStatus().getLoadBalancer().getIngress()).hasSize(1);
        awaitEvent("web", "Normal", ServiceLbController.IP_ALLOCATED, "Assigned IP [\"127.240.0.1\"]");
        String written = svc("web").getMetadata().getResourceVersion();

        lb("api", b -> b);
        awaitIp("api", "127.240.0.2");
        // the watch event of web's status write came before api's creation: it was synced without another write
        assertThat(svc("web").getMetadata().getResourceVersion()).isEqualTo(written);
        // kubectl get svc: EXTERNAL-IP shows the ingress address
        assertThat(table()).contains("\"api\",\"LoadBalancer\"").contains("\"127.240.0.2\"");
    }

    @Test
    void releasesOnDeleteAndOnTypeChangeSoTheNextServiceReusesTheAddress() {
        controller(POOL);
        lb("a", b -> b);
        awaitIp("a", "127.240.0.1");
        lb("b", b -> b);
        awaitIp("b", "127.240.0.2");

        cluster.client.services().inNamespace(ns).withName("a").delete();
        lb("c", b -> b);
        awaitIp("c", "127.240.0.1");

        cluster.client.services().inNamespace(ns).withName("b").edit(s -> new ServiceBuilder(s).editSpec()
                .withType("ClusterIP").endSpec().build());
        lb("d", b -> b);
        awaitIp("d", "127.240.0.2");
        assertThat(ingress(svc("b"))).isEmpty();
        assertThat(svc("c").getStatus().getLoadBalancer().getIngress().get(0).getIp()).isEqualTo("127.240.0.1");

        // back to LoadBalancer: a new address, not one in use
        cluster.client.services().inNamespace(ns).withName("b").edit(s -> new ServiceBuilder(s).editSpec()
                .withType("LoadBalancer").endSpec().build());
        awaitIp("b", "127.240.0.3");
    }

    @Test
    void keepsAddressesAcrossARestartAndAssignsOnlyAfterRebuilding() throws Exception {
        ServiceLbController first = controller(POOL);
        lb("x", b -> b);
        awaitIp("x", "127.240.0.1");
        lb("y", b -> b);
        awaitIp("y", "127.240.0.2");
        lb("z", b -> b);
        awaitIp("z", "127.240.0.3");
        first.close();

        // while no controller runs: y goes, newcomers arrive; a controller that assigned before rebuilding would
        // give a newcomer x's or z's address whenever it synced the newcomer first
        cluster.client.services().inNamespace(ns).withName("y").delete();
        for (String n : List.of("a-new", "b-new", "c-new")) {
            lb(n, b -> b);
        }
        ServiceLbController second = controller(POOL);
        for (String n : List.of("a-new", "b-new", "c-new")) {
            await().atMost(DEADLINE).until(() -> ip(n) != null);
        }
        assertThat(List.of(ip("a-new"), ip("b-new"), ip("c-new")))
                .containsExactlyInAnyOrder("127.240.0.2", "127.240.0.4", "127.240.0.5");
        assertThat(ip("x")).isEqualTo("127.240.0.1");
        assertThat(ip("z")).isEqualTo("127.240.0.3");
        assertThat(second.allocations()).containsEntry(ns + "/x", "127.240.0.1")
                .containsEntry(ns + "/z", "127.240.0.3").hasSize(5);
    }

    @Test
    void twoServicesShowingOneAddressAtStartKeepItForTheOlder() {
        lb("dup-a", b -> b);
        lb("dup-b", b -> b);
        writeIngress("dup-a", "127.240.0.9");
        writeIngress("dup-b", "127.240.0.9");
        controller(POOL);
        awaitIp("dup-b", "127.240.0.1");
        assertThat(ip("dup-a")).isEqualTo("127.240.0.9");
    }

    @Test
    void servicesOfAnotherClassAreNeverTouched() {
        controller(POOL);
        lb("foreign-pending", b -> b.editSpec().withLoadBalancerClass("example.com/other").endSpec());
        lb("foreign", b -> b.editSpec().withLoadBalancerClass("example.com/other").endSpec());
        writeIngress("foreign", "192.0.2.10");
        String foreignVersion = svc("foreign").getMetadata().getResourceVersion();
        lb("ours", b -> b.editSpec().withLoadBalancerClass(LbPlan.LOAD_BALANCER_CLASS).endSpec());
        awaitIp("ours", "127.240.0.1");
        lb("classless", b -> b);
        awaitIp("classless", "127.240.0.2");
        assertThat(ingress(svc("foreign-pending"))).isEmpty();
        assertThat(svc("foreign").getMetadata().getResourceVersion()).isEqualTo(foreignVersion);
        assertThat(ip("foreign")).isEqualTo("192.0.2.10");
        assertThat(events("foreign")).isEmpty();
        assertThat(events("foreign-pending")).isEmpty();
    }

    @Test
    void anExhaustedPoolIsReportedAndTheServiceServedOnceAnAddressIsFreed() {
        String pool = "127.77." + (int) (Math.random() * 256) + ".0/30";
        String prefix = pool.substring(0, pool.lastIndexOf('.') + 1);
        controller(pool);
        lb("s1", b -> b);
        awaitIp("s1", prefix + "1");
        lb("s2", b -> b);
        awaitIp("s2", prefix + "2");
        lb("s3", b -> b);
        awaitEvent("s3", "Warning", ServiceLbController.ALLOCATION_FAILED, "Failed to allocate IP for \"" + ns
                + "/s3\": no available IPs: the pool " + pool + " is exhausted (2 of 2 addresses in use)");
        assertThat(ingress(svc("s3"))).isEmpty();

        cluster.client.services().inNamespace(ns).withName("s1").delete();
        awaitIp("s3", prefix + "1");
        awaitEvent("s3", "Normal", ServiceLbController.IP_ALLOCATED, "Assigned IP [\"" + prefix + "1\"]");
        assertThat(events("s3")).filteredOn(e -> e.getReason().equals(ServiceLbController.ALLOCATION_FAILED))
                .hasSize(1);
    }

    @Test
    void honoursARequestedLoadBalancerIpWhenItIsAFreePoolAddress() {
        controller(POOL);
        lb("r1", b -> b.editSpec().withLoadBalancerIP("127.240.0.7").endSpec());
        awaitIp("r1", "127.240.0.7");
        lb("r2", b -> b.editSpec().withLoadBalancerIP("127.240.0.7").endSpec());
        awaitEvent("r2", "Warning", ServiceLbController.ALLOCATION_FAILED, "Failed to allocate IP for \"" + ns
                + "/r2\": requested loadBalancerIP 127.240.0.7 is already in use by " + ns + "/r1");
        lb("r3", b -> b.editSpec().withLoadBalancerIP("10.1.2.3").endSpec());
        awaitEvent("r3", "Warning", ServiceLbController.ALLOCATION_FAILED, "Failed to allocate IP for \"" + ns
                + "/r3\": requested loadBalancerIP 10.1.2.3 is not an assignable address of the pool " + POOL);
        lb("plain", b -> b);
        awaitIp("plain", "127.240.0.1");
        assertThat(ingress(svc("r2"))).isEmpty();
        assertThat(ingress(svc("r3"))).isEmpty();

        cluster.client.services().inNamespace(ns).withName("r1").delete();
        awaitIp("r2", "127.240.0.7");
    }

    private Service lb(String name, UnaryOperator<ServiceBuilder> edit) {
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withType("LoadBalancer").withSelector(java.util.Map.of("app", name)).addNewPort().withName("http")
                .withPort(80).withProtocol("TCP").endPort().endSpec();
        return cluster.client.services().inNamespace(ns).resource(edit.apply(b).build()).create();
    }

    /** Writes the status as another load-balancer controller would. */
    private void writeIngress(String name, String ip) {
        Service s = svc(name);
        s.getStatus().getLoadBalancer().setIngress(List.of(new LoadBalancerIngressBuilder().withIp(ip).build()));
        cluster.client.services().inNamespace(ns).resource(s).updateStatus();
    }

    private Service svc(String name) {
        return cluster.client.services().inNamespace(ns).withName(name).get();
    }

    private static List<LoadBalancerIngress> ingress(Service s) {
        return s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null
                ? List.of() : s.getStatus().getLoadBalancer().getIngress();
    }

    private String ip(String name) {
        List<LoadBalancerIngress> in = ingress(svc(name));
        return in.isEmpty() ? null : in.get(0).getIp();
    }

    private void awaitIp(String name, String ip) {
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(ingress(svc(name)))
                .extracting(LoadBalancerIngress::getIp).containsExactly(ip));
    }

    private List<Event> events(String name) {
        return cluster.client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }

    private void awaitEvent(String name, String type, String reason, String message) {
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(events(name))
                .anySatisfy(e -> {
                    assertThat(e.getType()).isEqualTo(type);
                    assertThat(e.getReason()).isEqualTo(reason);
                    assertThat(e.getMessage()).isEqualTo(message);
                    assertThat(e.getInvolvedObject().getKind()).isEqualTo("Service");
                    assertThat(e.getSource().getComponent()).isEqualTo(ServiceLbController.COMPONENT);
                }));
    }

    /** The Services of the namespace as {@code kubectl get svc} asks for them (a meta.k8s.io Table). */
    private String table() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(cluster.server.url()
                    + "/api/v1/namespaces/" + ns + "/services"))
                    .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).contains("\"kind\":\"Table\"");
            return r.body().replace(" ", "");
        }
    }
}
