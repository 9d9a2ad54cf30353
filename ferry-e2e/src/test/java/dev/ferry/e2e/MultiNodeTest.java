package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.e2e.PodViews.NodeView;
import dev.ferry.e2e.PodViews.PodView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A cluster of three processes: {@code ferry server} (API server and controllers, node monitor grace period 5 s) and
 * two {@code ferry agent}s (heartbeat every second), nodes n1 and n2, each with a data dir of its own. The tests run
 * in order, as one story: nodes join, a Deployment spreads over both, Local traffic policies and {@code topology-mode:
 * Auto} zone hints (n1 in zone-a, n2 in zone-b, by {@code --node-labels}) keep a client's traffic on its node, a pod
 * no node fits stays Pending, agent n2 crashes (its node goes NotReady and its endpoints stop being ready, its pod
 * processes keep running) and comes back (adopting them), and stopping everything leaves no pod process behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class MultiNodeTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String NS = "multi";

    @TempDir
    static Path dir;
    static FerryProcess server;
    static AgentProcess n1;
    static AgentProcess n2;
    static Kubectl kubectl;
    /** Every pod IP seen, so that no pod process outlives the class. */
    static final Set<String> podIps = ConcurrentHashMap.newKeySet();
    /** The Deployment's pods on n2 before the crash, and their processes. */
    static final Map<String, PodView> n2Pods = new TreeMap<>();
    static final Map<String, Set<Long>> n2Pids = new HashMap<>();

    @BeforeAll
    static void up() throws Exception {
        server = FerryProcess.server(dir.resolve("server"), "--node-monitor-grace-period", "5s");
        n1 = agent("n1");
        n2 = agent("n2");
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
    }

    /**
     * Agent {@code node} in {@code dir/node}, heartbeating every second (well within the 5 s grace period), in zone
     * zone-a (n1) or zone-b (n2).
     */
    private static AgentProcess agent(String node) throws Exception {
        return AgentProcess.start(server, Integer.parseInt(node.substring(1)) + 1, dir.resolve(node), node,
                "--node-status-update-frequency", "1s", "--node-labels",
                "topology.kubernetes.io/zone=" + (node.equals("n1") ? "zone-a" : "zone-b"));
    }

    @AfterAll
    static void down() {
        for (AutoCloseable p : new AutoCloseable[] {n1, n2, server}) {
            try {
                if (p != null) {
                    p.close();
                }
            } catch (Exception e) {
                // keep stopping the rest
            }
        }
        PodViews.killPodProcesses(podIps);
    }

    private static Kubectl.Result ok(String... args) throws Exception {
        return kubectl.run(args).ok();
    }

    private static List<PodView> hello() throws Exception {
        List<PodView> pods = PodViews.pods(kubectl, NS, "app=MyApp");
        pods.forEach(p -> {
            if (!p.ip().isEmpty()) {
                podIps.add(p.ip());
            }
        });
        return pods;
    }

    /** Node name → names of the Deployment's pods on it. */
    private static Map<String, Set<String>> helloPodsByNode() throws Exception {
        Map<String, Set<String>> podsByNode = new TreeMap<>();
        for (PodView p : hello()) {
            podsByNode.computeIfAbsent(p.node(), n -> new TreeSet<>()).add(p.name());
        }
        return podsByNode;
    }

    /** A client in each node's pod CIDR reaches, through {@code service}'s ClusterIP:80, exactly that node's pods. */
    private static void assertEachNodesClientsReachOnlyItsPods(String service, Map<String, Set<String>> podsByNode)
            throws Exception {
        String clusterIp = ok("get", "svc", service, "-n", NS, "-o", "jsonpath={.spec.clusterIP}").out().strip();
        Map<String, NodeView> nodes = PodViews.nodes(kubectl);
        for (String node : List.of("n1", "n2")) {
            String client = prefix24(nodes.get(node).podCidr()) + "250";
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() ->
                    ServiceClients.spread(clusterIp, 80, 12, client).keySet().equals(podsByNode.get(node)));
        }
    }

    /** "a.b.c." of "a.b.c.0/24". */
    private static String prefix24(String cidr) {
        return cidr.substring(0, cidr.lastIndexOf(".0/24") + 1);
    }

    private static Set<Long> pids(String ip) throws Exception {
        return new TreeSet<>(PodProcesses.withPodIp(ip));
    }

    @Test
    @Order(1)
    void bothNodesJoinReadyWithAPodCidrEach() throws Exception {
        Map<String, NodeView> nodes = new TreeMap<>();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            nodes.clear();
            nodes.putAll(PodViews.nodes(kubectl));
            assertThat(nodes.keySet()).containsExactly("n1", "n2");
            assertThat(nodes.values()).allMatch(n -> n.ready().equals("True") && !n.podCidr().isEmpty());
        });
        String cluster = server.podCidr().substring(0, server.podCidr().indexOf(".0.0/16") + 1);
        for (NodeView n : nodes.values()) {
            assertThat(n.podCidr()).as("pod CIDR of %s", n.name()).startsWith(cluster).endsWith(".0/24");
        }
        assertThat(nodes.get("n1").podCidr()).isNotEqualTo(nodes.get("n2").podCidr());
        String table = ok("get", "nodes").out();
        assertThat(table).containsPattern("(?m)^n1\\s+Ready\\s").containsPattern("(?m)^n2\\s+Ready\\s");
    }

    @Test
    @Order(2)
    void aDeploymentSpreadsOverBothNodesAndItsPodsAnswerOnTheirIps() throws Exception {
        ok("create", "namespace", NS);
        ok("apply", "-n", NS, "-f", Cluster.resource("my-service.yaml").toString());
        kubectl.run(Cluster.resourceText("pods/hello-deployment.yaml").replace("replicas: 3", "replicas: 4"),
                Map.of(), "apply", "-n", NS, "-f", "-").ok();
        List<PodView> ready = new ArrayList<>();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            List<PodView> pods = hello();
            assertThat(pods).hasSize(4).allMatch(PodView::ready);
            Set<String> expected = pods.stream().map(p -> p.ip() + ":9376").collect(Collectors.toCollection(TreeSet::new));
            assertThat(PodViews.endpoints(kubectl, NS, "my-service")).containsOnlyKeys(expected)
                    .doesNotContainValue(false);
            ready.clear();
            ready.addAll(pods);
        });
        Map<String, Long> perNode = ready.stream().collect(Collectors.groupingBy(PodView::node, TreeMap::new,
                Collectors.counting()));
        assertThat(perNode).as("the scheduler puts each pod on the node with the fewest pods")
                .containsExactly(Map.entry("n1", 2L), Map.entry("n2", 2L));

        Map<String, NodeView> nodes = PodViews.nodes(kubectl);
        Set<String> ips = new TreeSet<>();
        for (PodView p : ready) {
            assertThat(p.ip()).as("%s's IP is in the pod CIDR of its node %s", p.name(), p.node())
                    .startsWith(prefix24(nodes.get(p.node()).podCidr()));
            assertThat(PodViews.hostnameAt(p.ip(), 9376)).as("the process behind %s", p.ip()).isEqualTo(p.name());
            ips.add(p.ip());
        }
        assertThat(ips).hasSize(4);

        for (String node : List.of("n1", "n2")) {
            PodView p = ready.stream().filter(v -> v.node().equals(node)).findFirst().orElseThrow();
            assertThat(ok("logs", p.name(), "-n", NS).out()).as("kubectl logs of %s on %s", p.name(), node)
                    .contains("serve-hostname listening on " + p.ip() + ":9376").contains(p.name());
        }
    }

    @Test
    @Order(3)
    void localTrafficPoliciesKeepTrafficOnTheClientsNode() throws Exception {
        kubectl.run("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: node-local
                spec:
                  selector:
                    app: MyApp
                  internalTrafficPolicy: Local
                  ports:
                  - port: 80
                    targetPort: 9376
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: lb-local
                spec:
                  type: LoadBalancer
                  externalTrafficPolicy: Local
                  selector:
                    app: MyApp
                  ports:
                  - port: 80
                    targetPort: 9376
                """, Map.of(), "apply", "-n", NS, "-f", "-").ok();
        Map<String, Set<String>> podsByNode = helloPodsByNode();
        // a client in the node's pod CIDR is on that node: internalTrafficPolicy Local keeps it there
        assertEachNodesClientsReachOnlyItsPods("node-local", podsByNode);
        int nodePort = Integer.parseInt(ok("get", "svc", "lb-local", "-n", NS, "-o",
                "jsonpath={.spec.ports[0].nodePort}").out().strip());
        int healthPort = Integer.parseInt(ok("get", "svc", "lb-local", "-n", NS, "-o",
                "jsonpath={.spec.healthCheckNodePort}").out().strip());
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String node : List.of("n1", "n2")) {
            String nodeIp = server.network().nodeIp(node.equals("n1") ? 2 : 3);
            // from outside the cluster, externalTrafficPolicy Local serves only the receiving node's pods
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() ->
                    ServiceClients.spread(nodeIp, nodePort, 12, "127.0.0.1").keySet().equals(podsByNode.get(node)));
            var answer = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://" + nodeIp + ":" + healthPort + "/healthz")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("health check node port of %s", node).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"service\":{\"namespace\":\"" + NS
                    + "\",\"name\":\"lb-local\"},\"localEndpoints\":2,\"serviceProxyHealthy\":true}");
            assertThat(answer.headers().firstValue("X-Load-Balancing-Endpoint-Weight")).hasValue("2");
        }
        ok("delete", "svc", "node-local", "lb-local", "-n", NS);
    }

    @Test
    @Order(4)
    void topologyModeAutoKeepsTrafficInTheClientsZone() throws Exception {
        assertThat(ok("get", "nodes", "-o", "jsonpath={range .items[*]}{.metadata.name}="
                + "{.metadata.labels.topology\\.kubernetes\\.io/zone} {end}").out().strip())
                .as("the agents' --node-labels").isEqualTo("n1=zone-a n2=zone-b");
        kubectl.run("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: zonal
                  annotations:
                    service.kubernetes.io/topology-mode: Auto
                spec:
                  selector:
                    app: MyApp
                  ports:
                  - port: 80
                    targetPort: 9376
                """, Map.of(), "apply", "-n", NS, "-f", "-").ok();
        Map<String, Set<String>> podsByNode = helloPodsByNode();
        // both nodes have the same CPU, so each zone gets its own two endpoints
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() ->
                assertThat(ok("get", "endpointslices", "-n", NS, "-l", "kubernetes.io/service-name=zonal", "-o",
                        "jsonpath={range .items[*].endpoints[*]}{.zone}={.hints.forZones[0].name}{\"\\n\"}{end}")
                        .out().lines().sorted().toList())
                        .containsExactly("zone-a=zone-a", "zone-a=zone-a", "zone-b=zone-b", "zone-b=zone-b"));
        assertThat(ok("get", "events", "-n", NS, "--field-selector", "involvedObject.name=zonal").out())
                .contains("TopologyAwareHintsEnabled");
        // a client on a node of zone-a reaches only zone-a's pods (the proxies act for the client's node)
        assertEachNodesClientsReachOnlyItsPods("zonal", podsByNode);
        ok("delete", "svc", "zonal", "-n", NS);
    }

    @Test
    @Order(5)
    void aPodNoNodeFitsStaysPendingAsUnschedulableWithAnEvent() throws Exception {
        kubectl.run("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: nowhere
                spec:
                  nodeSelector:
                    disktype: none
                  containers:
                  - name: serve
                    image: ferry/serve-hostname
                """, Map.of(), "apply", "-n", NS, "-f", "-").ok();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            JsonNode pod = Cluster.JSON.readTree(ok("get", "pod", "nowhere", "-n", NS, "-o", "json").out());
            assertThat(pod.path("status").path("phase").asString()).isEqualTo("Pending");
            assertThat(pod.path("spec").path("nodeName").asString("")).isEmpty();
            JsonNode scheduled = null;
            for (JsonNode c : pod.path("status").path("conditions")) {
                if (c.path("type").asString().equals("PodScheduled")) {
                    scheduled = c;
                }
            }
            assertThat(scheduled).as("PodScheduled condition").isNotNull();
            assertThat(scheduled.path("status").asString()).isEqualTo("False");
            assertThat(scheduled.path("reason").asString()).isEqualTo("Unschedulable");

            JsonNode events = Cluster.JSON.readTree(ok("get", "events", "-n", NS, "-o", "json").out());
            List<String> reasons = new ArrayList<>();
            for (JsonNode e : events.path("items")) {
                if (e.path("involvedObject").path("name").asString().equals("nowhere")) {
                    reasons.add(e.path("reason").asString() + ": " + e.path("message").asString());
                }
            }
            assertThat(reasons).anyMatch(r -> r.startsWith("FailedScheduling: "));
        });
        assertThat(ok("get", "pod", "nowhere", "-n", NS).out()).containsPattern("nowhere\\s+0/1\\s+Pending");
        ok("delete", "pod", "nowhere", "-n", NS, "--wait=false");
    }

    @Test
    @Order(6)
    void aCrashedAgentsNodeGoesNotReadyAndItsEndpointsStopBeingReady() throws Exception {
        List<PodView> before = hello();
        for (PodView p : before) {
            if (p.node().equals("n2")) {
                n2Pods.put(p.name(), p);
                n2Pids.put(p.ip(), pids(p.ip()));
                assertThat(n2Pids.get(p.ip())).as("processes of %s", p.name()).isNotEmpty();
            }
        }
        assertThat(n2Pods).hasSize(2);
        List<PodView> onN1 = before.stream().filter(p -> p.node().equals("n1")).toList();

        n2.kill();

        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            assertThat(ok("get", "nodes").out()).containsPattern("(?m)^n2\\s+NotReady\\s")
                    .containsPattern("(?m)^n1\\s+Ready\\s");
            Map<String, PodView> now = hello().stream().collect(Collectors.toMap(PodView::name, p -> p));
            for (PodView p : n2Pods.values()) {
                assertThat(now.get(p.name()).ready()).as("Ready of %s on n2", p.name()).isFalse();
            }
            Map<String, Boolean> endpoints = PodViews.endpoints(kubectl, NS, "my-service");
            for (PodView p : n2Pods.values()) {
                assertThat(endpoints).containsEntry(p.ip() + ":9376", false);
            }
            for (PodView p : onN1) {
                assertThat(endpoints).containsEntry(p.ip() + ":9376", true);
            }
        });
        assertThat(PodViews.nodes(kubectl).get("n2").ready()).isEqualTo("Unknown");
        for (PodView p : n2Pods.values()) {
            assertThat(pids(p.ip())).as("a crashed agent leaves its pods' processes running")
                    .isEqualTo(n2Pids.get(p.ip()));
        }
    }

    @Test
    @Order(7)
    void theRestartedAgentAdoptsItsRunningPods() throws Exception {
        assertThat(n2Pods).as("the crash test ran").hasSize(2);
        n2 = agent("n2");

        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            assertThat(PodViews.nodes(kubectl).get("n2").ready()).isEqualTo("True");
            List<PodView> pods = hello();
            assertThat(pods).hasSize(4).allMatch(PodView::ready);
            Map<String, Boolean> endpoints = PodViews.endpoints(kubectl, NS, "my-service");
            assertThat(endpoints).hasSize(4).doesNotContainValue(false);
            for (PodView was : n2Pods.values()) {
                PodView now = pods.stream().filter(p -> p.name().equals(was.name())).findFirst().orElseThrow();
                assertThat(now.node()).isEqualTo("n2");
                assertThat(now.ip()).isEqualTo(was.ip());
                assertThat(endpoints).containsEntry(was.ip() + ":9376", true);
            }
        });
        for (PodView was : n2Pods.values()) {
            PodView now = hello().stream().filter(p -> p.name().equals(was.name())).findFirst().orElseThrow();
            assertThat(now.restarts()).as("restarts of %s", was.name()).isEqualTo(was.restarts());
            assertThat(now.containerIds()).as("containers of %s", was.name()).isEqualTo(was.containerIds());
            assertThat(pids(was.ip())).as("%s's processes were adopted, not started again", was.name())
                    .isEqualTo(n2Pids.get(was.ip()));
            assertThat(PodViews.hostnameAt(was.ip(), 9376)).isEqualTo(was.name());
        }
        assertThat(ok("get", "nodes").out()).containsPattern("(?m)^n2\\s+Ready\\s");
    }

    @Test
    @Order(8)
    void stoppingTheAgentsStopsEveryPodProcess() throws Exception {
        hello();
        assertThat(podIps).hasSizeGreaterThanOrEqualTo(4);
        assertThat(n1.stop(Duration.ofSeconds(30))).as("agent n1 exits on SIGTERM\n%s", n1.output()).isNotEqualTo(-1);
        assertThat(n2.stop(Duration.ofSeconds(30))).as("agent n2 exits on SIGTERM\n%s", n2.output()).isNotEqualTo(-1);
        assertThat(server.stop(Duration.ofSeconds(30))).as("the server exits on SIGTERM").isNotEqualTo(-1);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (String ip : podIps) {
                assertThat(PodProcesses.withPodIp(ip)).as("processes with POD_IP=%s", ip).isEmpty();
            }
        });
    }
}
