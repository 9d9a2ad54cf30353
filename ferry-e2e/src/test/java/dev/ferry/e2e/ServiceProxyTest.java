package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The seed walk-through continued through the service proxy: real kubectl, real pods ({@code ferry/serve-hostname}),
 * real TCP and UDP clients connecting to ClusterIPs, NodePorts and load-balancer addresses.
 */
final class ServiceProxyTest extends ClusterTest {

    /** The seed: a 3-replica serve-hostname Deployment (app=MyApp) and the seed Service (80 → 9376) in {@code ns}. */
    private static void seed(String ns) throws Exception {
        cluster.namespace(ns);
        cluster.ok("apply", "-n", ns, "-f", Cluster.resource("pods/hello-deployment.yaml").toString());
        cluster.ok("apply", "-n", ns, "-f", Cluster.resource("my-service.yaml").toString());
        eventually().until(() -> readyPods(ns).size() == 3);
    }

    /** Names of the pods of app=MyApp that are Ready and not terminating. */
    private static Set<String> readyPods(String ns) throws Exception {
        Set<String> out = new TreeSet<>();
        for (PodViews.PodView p : PodViews.pods(cluster.kubectl(), ns, "app=MyApp")) {
            if (p.ready() && !p.terminating()) {
                out.add(p.name());
            }
        }
        return out;
    }

    /** Names of the pods the Service's EndpointSlices list as ready. */
    private static Set<String> readyEndpoints(String ns, String service) throws Exception {
        JsonNode list = Cluster.JSON.readTree(cluster.ok("get", "endpointslices", "-n", ns, "-l",
                "kubernetes.io/service-name=" + service, "-o", "json").out());
        Set<String> out = new TreeSet<>();
        for (JsonNode slice : list.path("items")) {
            for (JsonNode e : slice.path("endpoints")) {
                JsonNode ready = e.path("conditions").path("ready");
                if (ready.isMissingNode() || ready.asBoolean()) {
                    out.add(e.path("targetRef").path("name").asString());
                }
            }
        }
        return out;
    }

    /**
     * Applies Service {@code name} selecting pods labelled app={@code app}, one port ({@code protocol},
     * {@code port} → 9376), and the extra {@code spec} lines (e.g. "type: LoadBalancer").
     */
    private static void service(String ns, String name, String app, String protocol, int port, String... spec)
            throws Exception {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Service\nmetadata:\n  name: " + name
                + "\nspec:\n  selector:\n    app: " + app + "\n");
        for (String line : spec) {
            yaml.append("  ").append(line).append('\n');
        }
        yaml.append("  ports:\n  - protocol: ").append(protocol).append("\n    port: ").append(port)
                .append("\n    targetPort: 9376\n");
        apply(ns, name + ".yaml", yaml.toString());
    }

    private static String clusterIp(String ns, String service) throws Exception {
        return cluster.ok("get", "svc", service, "-n", ns, "-o", "jsonpath={.spec.clusterIP}").out().strip();
    }

    @Test
    void clusterIpAnswersFromEveryReadyPod() throws Exception {
        String ns = "proxy-seed";
        seed(ns);
        String ip = clusterIp(ns, "my-service");
        Set<String> pods = readyPods(ns);
        eventually().until(() -> readyEndpoints(ns, "my-service").equals(pods));
        Map<String, Integer> spread = ServiceClients.spread(ip, 80, 60, null);
        assertThat(spread.keySet()).as("pods answering %s:80", ip).isEqualTo(pods);
        assertThat(spread.values()).as("connections per pod (round robin)").allMatch(n -> n >= 10);
    }

    @Test
    void serviceWithoutEndpointsRefusesAtOnce() throws Exception {
        String ns = "proxy-lonely";
        cluster.namespace(ns);
        service(ns, "lonely", "nobody", "TCP", 80);
        String ip = clusterIp(ns, "lonely");
        assertThatThrownBy(() -> ServiceClients.hostname(ip, 80)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("refused");
        service(ns, "lonely-udp", "nobody", "UDP", 53);
        String udpIp = clusterIp(ns, "lonely-udp");
        // no endpoint, no socket: the kernel answers ICMP port unreachable, which a connected socket reports
        assertThatThrownBy(() -> ServiceClients.udpHostname(udpIp, 53))
                .isInstanceOf(java.net.PortUnreachableException.class);
    }

    @Test
    void readinessChangesAreFollowed() throws Exception {
        String ns = "proxy-ready";
        cluster.namespace(ns);
        java.nio.file.Path gates = java.nio.file.Files.createDirectories(dir.resolve("gates-" + ns));
        apply(ns, "gated.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: gated
                spec:
                  replicas: 2
                  selector:
                    matchLabels: {app: MyApp}
                  template:
                    metadata:
                      labels: {app: MyApp}
                    spec:
                      containers:
                      - name: serve
                        image: ferry/serve-hostname
                        readinessProbe:
                          exec:
                            command: ["sh", "-c", "test ! -e %s/$HOSTNAME"]
                          periodSeconds: 1
                """.formatted(gates));
        cluster.ok("apply", "-n", ns, "-f", Cluster.resource("my-service.yaml").toString());
        eventually().until(() -> readyPods(ns).size() == 2);
        String ip = clusterIp(ns, "my-service");
        Set<String> pods = readyPods(ns);
        eventually().until(() -> ServiceClients.spread(ip, 80, 10, null).keySet().equals(pods));

        String gated = pods.iterator().next();
        java.nio.file.Files.createFile(gates.resolve(gated));
        Set<String> others = new TreeSet<>(pods);
        others.remove(gated);
        eventually().until(() -> readyEndpoints(ns, "my-service").equals(others));
        // once the slice says not ready, no new connection goes to the pod
        eventually().until(() -> ServiceClients.spread(ip, 80, 10, null).keySet().equals(others));
        assertThat(ServiceClients.spread(ip, 80, 20, null).keySet()).isEqualTo(others);

        java.nio.file.Files.delete(gates.resolve(gated));
        eventually().until(() -> ServiceClients.spread(ip, 80, 10, null).keySet().equals(pods));
    }

    @Test
    void nodePortAndLoadBalancerAddressAnswerLikeTheClusterIp() throws Exception {
        String ns = "proxy-lb";
        seed(ns);
        service(ns, "my-lb", "MyApp", "TCP", 80, "type: LoadBalancer");
        String lbIp = eventually().until(() -> cluster.ok("get", "svc", "my-lb", "-n", ns, "-o",
                "jsonpath={.status.loadBalancer.ingress[0].ip}").out().strip(), s -> !s.isEmpty());
        int nodePort = Integer.parseInt(cluster.ok("get", "svc", "my-lb", "-n", ns, "-o",
                "jsonpath={.spec.ports[0].nodePort}").out().strip());
        String nodeIp = cluster.ferry().network().nodeIp(1);
        Set<String> pods = readyPods(ns);
        eventually().until(() -> readyEndpoints(ns, "my-lb").equals(pods));
        eventually().until(() -> ServiceClients.spread(nodeIp, nodePort, 30, null).keySet().equals(pods));
        eventually().until(() -> ServiceClients.spread(lbIp, 80, 30, null).keySet().equals(pods));
    }

    @Test
    void udpServiceAnswersFromTheServiceAddress() throws Exception {
        String ns = "proxy-udp";
        seed(ns);
        service(ns, "hostnames-udp", "MyApp", "UDP", 9376);
        String ip = clusterIp(ns, "hostnames-udp");
        Set<String> pods = readyPods(ns);
        eventually().until(() -> readyEndpoints(ns, "hostnames-udp").equals(pods));
        Set<String> answered = new TreeSet<>();
        eventually().until(() -> {
            answered.add(ServiceClients.udpHostname(ip, 9376));
            return answered.equals(pods);
        });
    }

    @Test
    void sessionAffinityPinsAClientToOnePod() throws Exception {
        String ns = "proxy-affinity";
        seed(ns);
        service(ns, "sticky", "MyApp", "TCP", 80, "sessionAffinity: ClientIP");
        String ip = clusterIp(ns, "sticky");
        Set<String> pods = readyPods(ns);
        eventually().until(() -> readyEndpoints(ns, "sticky").equals(pods));
        assertThat(ServiceClients.spread(ip, 80, 20, null)).as("pods answering one client").hasSize(1);
    }

    @Test
    void scalingAndPodDeletionAreFollowed() throws Exception {
        String ns = "proxy-scale";
        seed(ns);
        String ip = clusterIp(ns, "my-service");
        cluster.ok("scale", "deployment/hello", "-n", ns, "--replicas=1");
        eventually().until(() -> readyEndpoints(ns, "my-service").size() == 1);
        Set<String> left = readyEndpoints(ns, "my-service");
        // once the slice says one endpoint, no connection goes anywhere else
        eventually().until(() -> ServiceClients.spread(ip, 80, 10, null).keySet().equals(left));
        assertThat(ServiceClients.spread(ip, 80, 20, null).keySet()).isEqualTo(left);

        cluster.ok("delete", "pod", left.iterator().next(), "-n", ns, "--wait=false");
        eventually().until(() -> {
            Set<String> now = readyEndpoints(ns, "my-service");
            return now.size() == 1 && !now.equals(left);
        });
        Set<String> replacement = readyEndpoints(ns, "my-service");
        eventually().until(() -> ServiceClients.spread(ip, 80, 10, null).keySet().equals(replacement));
    }

    @Test
    void rollingUpdateUnderASteadyClientLosesNoRequest() throws Exception {
        String ns = "proxy-rollout";
        seed(ns);
        String ip = clusterIp(ns, "my-service");
        Set<String> before = readyPods(ns);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        Thread client = Thread.ofPlatform().name("steady-client").start(() -> {
            while (!stop.get()) {
                try {
                    String name = ServiceClients.hostname(ip, 80);
                    synchronized (seen) {
                        seen.add(name);
                    }
                    if (name.isEmpty()) {
                        synchronized (failures) {
                            failures.add("empty answer");
                        }
                    } else {
                        ok.incrementAndGet();
                    }
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e.toString());
                    }
                }
            }
        });
        try {
            cluster.ok("rollout", "restart", "deployment/hello", "-n", ns);
            cluster.ok("rollout", "status", "deployment/hello", "-n", ns, "--timeout=120s");
            eventually().until(() -> {
                Set<String> now = readyPods(ns);
                return now.size() == 3 && now.stream().noneMatch(before::contains);
            });
        } finally {
            stop.set(true);
            client.join();
        }
        assertThat(failures).as("failed requests during the rolling update").isEmpty();
        assertThat(ok.get()).isPositive();
        synchronized (seen) {
            assertThat(seen).as("pods that answered").containsAnyElementsOf(readyPods(ns));
        }
    }

    @Test
    void addressesThatCannotBeServedAreReportedOnTheServiceAndTheRestIsServed() throws Exception {
        String ns = "proxy-bad";
        seed(ns);
        String podOctets = cluster.ferry().podCidr().substring(0, cluster.ferry().podCidr().indexOf(".0.0/16"));
        String squatted = podOctets + ".255.1";
        String shared = podOctets + ".255.2";
        try (java.net.ServerSocket squatter = new java.net.ServerSocket()) {
            squatter.bind(new java.net.InetSocketAddress(squatted, 8081));
            service(ns, "squatted", "MyApp", "TCP", 8081, "externalIPs: [" + squatted + "]");
            service(ns, "first", "MyApp", "TCP", 8082, "externalIPs: [" + shared + "]");
            eventually().until(() -> warnings(ns, "squatted").stream().anyMatch(m ->
                    m.contains("cannot serve TCP " + squatted + ":8081") && m.contains("already in use")));
            service(ns, "second", "MyApp", "TCP", 8082, "externalIPs: [" + shared + "]");
            eventually().until(() -> warnings(ns, "second").stream().anyMatch(m ->
                    m.contains("TCP " + shared + ":8082 is already served for Service " + ns + "/first")));
            Set<String> pods = readyPods(ns);
            // the rest of each Service is served: ClusterIPs, and the external IP its first claimant holds
            eventually().until(() -> ServiceClients.spread(clusterIp(ns, "squatted"), 8081, 9, null).keySet()
                    .equals(pods));
            eventually().until(() -> ServiceClients.spread(shared, 8082, 9, null).keySet().equals(pods));
        }
    }

    /** Messages of the Warning events about Service {@code name}, reason FailedToServe. */
    private static List<String> warnings(String ns, String name) throws Exception {
        JsonNode list = Cluster.JSON.readTree(cluster.ok("get", "events", "-n", ns, "-o", "json").out());
        List<String> out = new ArrayList<>();
        for (JsonNode e : list.path("items")) {
            if (e.path("involvedObject").path("name").asString().equals(name)
                    && e.path("involvedObject").path("kind").asString().equals("Service")
                    && e.path("type").asString().equals("Warning")
                    && e.path("reason").asString().equals("FailedToServe")) {
                out.add(e.path("message").asString());
            }
        }
        return out;
    }
}
